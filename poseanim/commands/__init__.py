"""The subcommands of `poseanim`, one module each (see `poseanim.cli`).

SUMMARIES is the one-line help of each, in the order `poseanim --help` lists them. It lives
here, apart from the modules, so that the command line can list every command while
importing only the module of the one that runs (video export alone pulls in cairo, OpenCV
and ffmpeg's helpers, which `poseanim list` has no use for).
"""

SUMMARIES: dict[str, str] = {
    "image": "pose a character like the person in a photo",
    "track": "record the pose of the person in a photo or video as a JSON track",
    "list": "list the bundled illustrations",
    "raster": "animate a photo from a video with TPSMM or FOMM, the authors' checkpoints "
    "(needs torch)",
    "fomm": "animate a photo from a video with the First Order Motion Model (needs torch)",
    "rig": "rig your own drawing: template, check, init, edit",
    "live": "animate a character from the webcam in a window",
    "video": "animate a character from a video of a person",
}
