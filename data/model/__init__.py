"""The model: the dataset's typed tables, how they are checked and loaded, and what their ids mean."""
