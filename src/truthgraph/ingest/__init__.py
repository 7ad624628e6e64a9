"""Reading evidence files, cutting them into citable passages, and loading them."""
