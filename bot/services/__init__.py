"""Services: the bot's logic, with no Discord in it (cogs call these)."""
