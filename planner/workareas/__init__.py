"""The federation's work areas (issue 7): records kept beside the Games planning."""
