"""storybot: a Discord bot that serves stories scene by scene."""
