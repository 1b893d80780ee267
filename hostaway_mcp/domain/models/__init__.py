"""Output models: what the tools return (compact, typed, the same shape in every tool)."""
