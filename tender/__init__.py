"""tender: Japanese public procurement from the first notice to the closed contract."""
