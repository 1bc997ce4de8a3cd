"""Discord-facing helpers shared by the cogs: page embeds, limits, buttons, responses."""
