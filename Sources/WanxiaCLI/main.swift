print("wanxia")
