"""News and consultations: posts on international discussions and programmes that concern MSMEs."""
