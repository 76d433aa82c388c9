"""Services: state changes (verb_noun functions taking a keyword-only actor)."""
