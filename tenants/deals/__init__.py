"""Deals: amounts in a currency, moved through a pipeline's stages, won or lost with a reason."""
