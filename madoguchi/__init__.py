"""madoguchi: the council register and the programs it governs."""
