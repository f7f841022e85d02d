print("watchroom")
