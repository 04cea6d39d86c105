"""One module per page group; each defines `router`."""
