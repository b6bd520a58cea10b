"""Code that at least two StackNex services share: nothing service-specific lives here."""
