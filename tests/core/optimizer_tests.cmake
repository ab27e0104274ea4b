# optimizer test executables are added here
