"""The fixed lines of the national header (Decree 30/2020 app. I), right of the issuer."""

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
