"""The views: the view state from the URL, one filter, and the view models the pages draw."""
