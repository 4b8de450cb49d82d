"""Models arrive with their issue; the app holds its place in the layers."""
