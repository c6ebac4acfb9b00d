"""Reference seeds rebuilt from the customs' published annexes, so every code list has a source."""
