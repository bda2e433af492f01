"""Text as the model reads it: width normalisation and character classes
(`normalize`), Traditional input read as Simplified (`traditional`)."""
