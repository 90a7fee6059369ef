"""Companies: organisations contacts belong to, with a parent hierarchy."""
