# The fuzz targets, read by two builds: the clang build in this folder makes
# each an executable, the main build makes each a short ctest run (see
# FuzzTests.cmake). A new target is one line here plus its source, a seed
# corpus in corpus/NAME/ and, if it helps, a dictionary NAME.dict:
#   marquee_fuzz_target(NAME SOURCE LIBRARIES...)
# Libraries are those of this folder's CMakeLists.txt (fuzz_shared, fuzz_http,
# fuzz_realtime).
marquee_fuzz_target(fuzz_protocol fuzz_protocol.cpp fuzz_shared)
marquee_fuzz_target(fuzz_request_bodies fuzz_request_bodies.cpp fuzz_http)
marquee_fuzz_target(fuzz_request_head fuzz_request_head.cpp fuzz_http)
marquee_fuzz_target(fuzz_request_framing fuzz_request_framing.cpp fuzz_http)
marquee_fuzz_target(fuzz_floorplan fuzz_floorplan.cpp fuzz_shared)
marquee_fuzz_target(fuzz_client_frames fuzz_client_frames.cpp fuzz_realtime)
