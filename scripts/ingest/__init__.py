"""Getting customs files into the warehouse: their layouts, reading, checks, load and download."""
