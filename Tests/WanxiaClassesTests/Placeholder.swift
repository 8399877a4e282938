import Testing

// The module's tests land here.
