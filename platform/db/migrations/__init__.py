"""Platform schema steps, one module per version (vNNNN_name.py)."""
