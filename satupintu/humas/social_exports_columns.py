"""The column headers of each platform's export, in Bahasa Indonesia and English, and the
headers of the same exports made in other interface languages (to tell people to switch).

Headers are compared after `normalize_header` (lower case, one space, no BOM or quotes). Each
field lists its accepted headers in order of preference: when a file has two of them (a
Facebook export has both "Reactions" and "Likes" on some layouts), the first one found is used,
never their sum. See social_exports.py's docstring for where these names come from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The three families of export: Meta Business Suite covers Facebook and Instagram.
META, TIKTOK, YOUTUBE = "meta", "tiktok", "youtube"
TOOL_NAMES = {META: "Meta Business Suite", TIKTOK: "TikTok Studio", YOUTUBE: "YouTube Studio"}


@dataclass(frozen=True)
class Layout:
    family: str
    language: str  # "id" or "en"
    columns: dict[str, tuple[str, ...]]  # field -> accepted headers, preferred first


# Fields: post_id, page (Facebook Page id/name), account (Instagram account id/username), title,
# published, url, post_type, views, reach, likes, comments, shares, saves, interactions (Meta's
# "Reactions, comments and shares" when the three are not given apart), content (YouTube video id).
META_EN = Layout(META, "en", {
    "post_id": ("post id",),
    "page": ("page id", "page name"),
    "account": ("account id", "account username", "account name"),
    "title": ("description", "title", "caption", "post message", "message"),
    "published": ("publish time", "published time", "publish date", "created time"),
    "url": ("permalink", "post link", "link"),
    "post_type": ("post type", "media type", "type"),
    "views": ("views", "impressions", "plays"),
    "reach": ("reach", "accounts reached"),
    "likes": ("reactions", "likes"),
    "comments": ("comments",),
    "shares": ("shares",),
    "saves": ("saves", "saved"),
    "interactions": ("reactions, comments and shares", "reactions, comments & shares", "interactions"),
})
META_ID = Layout(META, "id", {
    "post_id": ("id postingan", "id posting", "id kiriman", "id konten"),
    "page": ("id halaman", "nama halaman"),
    "account": ("id akun", "nama pengguna akun", "nama akun", "nama pengguna"),
    "title": ("deskripsi", "judul", "keterangan", "teks", "pesan postingan"),
    "published": ("waktu publikasi", "waktu dipublikasikan", "waktu penerbitan", "waktu terbit",
                  "tanggal publikasi", "waktu dibuat"),
    "url": ("tautan permanen", "permalink", "tautan postingan", "tautan"),
    "post_type": ("jenis postingan", "jenis posting", "tipe postingan", "jenis kiriman", "jenis media"),
    "views": ("tayangan", "penayangan", "dilihat", "impresi", "tampilan"),
    "reach": ("jangkauan", "akun yang dijangkau"),
    "likes": ("reaksi", "suka", "tanda suka", "jumlah suka"),
    "comments": ("komentar",),
    "shares": ("dibagikan", "bagikan", "berbagi", "dibagikan ulang"),
    "saves": ("disimpan", "simpan", "penyimpanan"),
    "interactions": ("reaksi, komentar, dan bagikan", "reaksi, komentar dan bagikan",
                     "reaksi, komentar, dan berbagi", "interaksi"),
})
TIKTOK_EN = Layout(TIKTOK, "en", {
    "post_id": ("video id", "post id"),
    "title": ("video title", "title", "caption", "video description"),
    "published": ("post time", "posted on", "date posted", "post date", "create time", "video create time"),
    "url": ("video link", "share url", "video url"),
    "views": ("total views", "video views", "views", "total video views"),
    "reach": ("reached audience", "total reach", "reach"),
    "likes": ("total likes", "likes"),
    "comments": ("total comments", "comments"),
    "shares": ("total shares", "shares"),
    "saves": ("add to favorites", "total favorites", "total bookmarks", "favorites", "saves"),
})
TIKTOK_ID = Layout(TIKTOK, "id", {
    "post_id": ("id video",),
    "title": ("judul video", "judul", "keterangan", "deskripsi video"),
    "published": ("waktu posting", "waktu diposting", "waktu unggah", "tanggal posting", "tanggal diposting",
                  "waktu dibuat"),
    "url": ("tautan video", "link video", "tautan"),
    "views": ("total tayangan", "tayangan video", "total penayangan", "total tontonan", "penayangan video",
              "tayangan", "penayangan"),
    "reach": ("penonton yang dijangkau", "audiens yang dijangkau", "jangkauan"),
    "likes": ("total suka", "suka"),
    "comments": ("total komentar", "komentar"),
    "shares": ("total bagikan", "total dibagikan", "bagikan", "dibagikan"),
    "saves": ("tambahkan ke favorit", "total favorit", "favorit", "disimpan"),
})
YOUTUBE_EN = Layout(YOUTUBE, "en", {
    "content": ("content", "video"),
    "title": ("video title",),
    "published": ("video publish time", "publish time", "video published"),
    "views": ("views",),
    "reach": ("unique viewers",),
    "likes": ("likes",),
    "comments": ("comments added", "comments"),
    "shares": ("shares",),
})
YOUTUBE_ID = Layout(YOUTUBE, "id", {
    "content": ("konten", "video"),
    "title": ("judul video",),
    "published": ("waktu publikasi video", "waktu video dipublikasikan", "tanggal publikasi video",
                  "waktu publikasi"),
    "views": ("penayangan", "jumlah penayangan"),
    "reach": ("penonton unik",),
    "likes": ("suka", "jumlah suka"),
    "comments": ("komentar yang ditambahkan", "komentar ditambahkan", "komentar"),
    "shares": ("berbagi", "dibagikan", "bagikan"),
})
LAYOUTS = (META_EN, META_ID, TIKTOK_EN, TIKTOK_ID, YOUTUBE_EN, YOUTUBE_ID)

# A family is recognised only by headers no other family has (e.g. "Video title" is both
# TikTok's and YouTube's): at least one field of each group, and one count.
SIGNATURES = {
    META: (("published",), ("post_id", "url")),
    TIKTOK: (("url", "published"),),
    YOUTUBE: (("content",),),
}
COUNTS = ("views", "reach", "likes", "comments", "shares", "saves", "interactions")

# The headers of these exports made with the interface in another language, as found in real
# exports and the platforms' own translations; a few of them are enough to know what happened.
FOREIGN_HEADERS = frozenset({
    # German
    "beitrags-id", "konto-id", "konto-benutzername", "kontoname", "seiten-id", "seitenname", "beschreibung",
    "veröffentlichungszeitpunkt", "beitragstyp", "aufrufe", "reichweite", "kommentare", "geteilte inhalte",
    "gespeicherte beiträge", "reaktionen", "„gefällt mir“-angaben", "inhalt", "videotitel",
    "veröffentlichungszeit des videos", "wiedergabezeit (stunden)", "impressionen", "videolink",
    "beitragszeit", "aufrufe insgesamt",
    # French
    "identifiant de la publication", "id de publication", "heure de publication", "lien permanent",
    "type de publication", "couverture", "vues", "réactions", "commentaires", "partages", "enregistrements",
    "contenu", "titre de la vidéo", "heure de publication de la vidéo", "durée de visionnage (heures)",
    "j'aime", "lien de la vidéo", "nom de la page", "nom d'utilisateur du compte",
    # Spanish / Portuguese
    "identificador de la publicación", "id. de la publicación", "hora de publicación", "alcance",
    "visualizaciones", "reacciones", "comentarios", "veces compartido", "guardados", "contenido",
    "título del video", "título del vídeo", "hora de publicación del video", "me gusta", "vistas",
    "tiempo de visualización (horas)", "enlace del video", "nombre de la página",
    "identificação da publicação", "id da publicação", "horário de publicação", "visualizações", "reações",
    "comentários", "compartilhamentos", "salvamentos", "conteúdo", "título do vídeo", "curtidas",
    "link do vídeo", "nome da página",
    # Malay (close to Bahasa Indonesia, but not the same words)
    "id siaran", "masa terbit", "masa diterbitkan", "masa penerbitan", "capaian", "tontonan", "komen",
    "kongsi", "perkongsian", "jenis siaran", "pautan kekal", "tajuk video", "pautan video", "masa siaran",
    # Dutch / Italian / Turkish / Vietnamese / Tagalog
    "bericht-id", "publicatietijd", "bereik", "weergaven", "reacties", "gedeeld", "opgeslagen",
    "id post", "ora di pubblicazione", "copertura", "visualizzazioni", "reazioni", "commenti", "condivisioni",
    "gönderi kimliği", "yayınlanma zamanı", "erişim", "görüntülemeler", "yorumlar", "paylaşımlar",
    "id bài viết", "thời gian đăng", "số người tiếp cận", "lượt xem", "bình luận", "lượt chia sẻ",
    "oras ng pag-publish", "abot",
})
# Scripts we never read in a header (Japanese, Chinese, Korean, Arabic, Thai, Cyrillic...): one
# header in them is enough, since no Indonesian or English export has any.
_OTHER_SCRIPT = re.compile("[\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalize_header(value: object) -> str:
    """A header cell as the tables above spell it."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\ufeff", "").replace("\u00a0", " ")
    text = _SPACES.sub(" ", text.translate(_QUOTES)).strip().strip('"').strip()
    return text.lower()


def foreign_headers(headers: list[str]) -> list[str]:
    """The headers that come from an export in a language we do not read."""
    return [h for h in headers if h in FOREIGN_HEADERS or _OTHER_SCRIPT.search(h)]


def expected_headers(family: str) -> str:
    """A few headers to name in a message, in both languages (e.g. "Post ID / ID Postingan")."""
    wanted = {META: ("post_id", "published", "reach", "likes"), TIKTOK: ("url", "published", "views", "likes"),
              YOUTUBE: ("content", "title", "published", "views")}[family]
    pairs = []
    for layout_en, layout_id in ((META_EN, META_ID), (TIKTOK_EN, TIKTOK_ID), (YOUTUBE_EN, YOUTUBE_ID)):
        if layout_en.family == family:
            for field in wanted:
                pairs.append(f'"{layout_en.columns[field][0].capitalize()}" / "{layout_id.columns[field][0].capitalize()}"')
    return ", ".join(pairs)
