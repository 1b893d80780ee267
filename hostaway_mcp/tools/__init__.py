"""Tool modules. Importing one registers its tools; the server module builds the server from them."""
