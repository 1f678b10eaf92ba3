"""Date formats per language (FORMAT_MODULE_PATH): a month name everywhere, so that 4 December is never read
as 12 April. Django's own formats are used for everything not set here (numbers, input formats)."""
