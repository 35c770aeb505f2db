"""Statistics on events: frequencies, response pairing, null models, sequences, exercise windows."""
