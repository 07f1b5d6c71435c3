"""Whether a message belongs to this assistant's field (health insurance and care across borders)."""
