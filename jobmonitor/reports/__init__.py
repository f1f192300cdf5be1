"""The private institution reports (April, under embargo): breakdowns by an institution's own
analysis labels. Nothing here is read by the public site."""
