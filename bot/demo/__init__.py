"""`astravue-bot demo`: a terminal Slack client for one sandbox user, over the real app.

`interactive.run_interactive` reads inputs from the keyboard; `script.run_script` runs a file.
Nothing is imported here: `cli` (loaded by every `astravue-bot` command) stays light.
"""
