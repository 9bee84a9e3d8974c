// Cascade module: see README.md and DESIGN notes.
