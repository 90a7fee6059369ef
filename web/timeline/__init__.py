"""The timeline fragment, its quick forms, and the timeline API."""
