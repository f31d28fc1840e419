"""What the authority may ask for a 契約不適合 [000/002 契約書 第9条第1項・第3項・第5項; 004 仕様書 １３．]."""

REMEDIES = {"repair": "修補（履行の追完）", "replacement": "代品との交換・不足分の引渡し", "reduction": "代金の減額",
            "damages": "損害賠償"}
