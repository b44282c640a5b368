"""func_gen's fixture package."""
