print("noether")
