// The reliability suites land here; this file goes once they do.
