"""Tests of the ROS node layer: lifecycle transitions, live parameters, diagnostics, frames."""
