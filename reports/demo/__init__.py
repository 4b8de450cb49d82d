"""Demo data, seeded only by the seed_demo commands; runtime code never imports it."""
