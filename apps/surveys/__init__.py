"""Needs surveys: short questionnaires agencies send to their MSMEs through campaigns."""
