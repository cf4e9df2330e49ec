"""Foundation tests: the build, the interfaces, image conversion, the launch graph, `omnilive
run` and the supervisor."""
