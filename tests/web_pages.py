"""Small news pages written for the tests (not copies of any site's): the furniture real
saved pages carry around an article, in Korean and Japanese."""

KO_URL = "https://news.example.kr/article/20240110/0001"

KO_PAGE = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>안산시, 국제로봇전 참가 기업 모집 - 한빛일보</title>
<meta property="og:title" content="안산시, 국제로봇전 참가 기업 모집">
<meta property="og:site_name" content="한빛일보">
<meta property="og:url" content="https://NEWS.example.kr/article/20240110/0001?utm_source=x">
<meta property="article:published_time" content="2024-01-10T09:30:00+09:00">
<meta property="article:section" content="지역">
<meta name="author" content="김한빛 기자">
<link rel="canonical" href="https://news.example.kr/article/20240110/0001">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "안산시, 국제로봇전 참가 기업 모집", "datePublished": "2024-01-10T09:30:00+09:00",
 "publisher": {"@type": "Organization", "name": "한빛일보"}}
</script>
<style>.menu { color: red; } body { margin: 0; }</style>
<script>window.dataLayer = []; function track(e) { document.title = e; }</script>
</head>
<body>
<header><nav class="menu"><ul>
<li><a href="/politics">정치</a></li><li><a href="/economy">경제메뉴</a></li>
<li><a href="/local">전국 지역소식 모음</a></li><li><a href="/seoul">서울 소식 바로가기</a></li>
</ul></nav></header>
<div class="ad">광고 문의 02-000-0000 배너광고 안내</div>
<main>
<article>
<h1>안산시, 국제로봇전 참가 기업 모집</h1>
<p class="byline">김한빛 기자 · 입력 2024.01.10 09:30</p>
<div id="article-body">
<p>경기 안산시는 오는 11월 일본 도쿄에서 열리는 국제로봇전(iREX 2025)에 함께 나갈
관내 로봇 기업을 모집한다고 10일 밝혔다.</p>
<p>시는 공동관 부스 임차료와 통역, 운송비를 지원하며 모두 10개 기업을 선정할 계획이다.
이민근 안산시장은 &quot;지역 로봇 기업이 해외 판로를 넓히는 기회가 될 것&quot;이라고
말했다.</p>
<p>신청은 이달 31일까지 안산시 누리집에서 받는다. 시는 지난해에도 8개 기업과 함께
박람회에 참가해 모두 120건의 상담 실적을 올렸다.</p>
<figure><figcaption>사진=안산시 제공 &lt;br&gt; 지난해 전시장 모습</figcaption></figure>
</div>
</article>
<aside class="ranking"><h2>가장 많이 본 뉴스</h2><ol>
<li><a href="/a/1">비트코인 시세 급등 전망 나와</a></li>
<li><a href="/a/2">주말 전국에 눈 소식 예보</a></li>
</ol></aside>
<section class="related"><h2>관련 기사</h2><ul>
<li><a href="/a/3">부산시, 라스베이거스 CES 통합관 운영 성과 발표</a></li>
</ul></section>
</main>
<footer><p>한빛일보 | 서울특별시 중구 예시로 1 | 발행인 홍길동</p>
<p>Copyright © 한빛일보 All rights reserved. 무단 전재 및 재배포 금지</p></footer>
</body>
</html>
"""

KO_BODY = ["관내 로봇 기업을 모집한다고 10일 밝혔다", "지역 로봇 기업이 해외 판로를 넓히는"]
KO_BOILER = ["비트코인 시세 급등", "라스베이거스 CES 통합관", "무단 전재", "경제메뉴", "배너광고"]

JA_URL = "https://www.example.jp/news/articles/20231130/k001.html"

# A lying charset (declared Shift_JIS, written in UTF-8), ruby readings, entities.
JA_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>横浜市、ロボット企業の誘致を強化：みなと新聞デジタル</title>
<meta property="og:title" content="横浜市、ロボット企業の誘致を強化：みなと新聞デジタル">
<meta property="og:site_name" content="みなと新聞デジタル">
<link rel="canonical" href="https://www.example.jp/news/articles/20231130/k001.html#top">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "横浜市、ロボット企業の誘致を強化",
 "datePublished": "2023-11-30T11:00:00+09:00",
 "author": {"@type": "Person", "name": "港太郎"}}
</script>
<script>var ranking = {"items": ["ランキング一位の記事"]};</script>
</head>
<body>
<div id="global-nav"><a href="/">トップ</a> | <a href="/national">社会ニュース一覧</a> |
<a href="/world">国際ニュース一覧</a> | <a href="/kanagawa">神奈川の話題</a></div>
<div class="main">
<h1>横浜市、ロボット企業の誘致を強化</h1>
<time datetime="2023-11-30T11:00:00+09:00">2023年11月30日 11時00分</time>
<div class="article-body">
<p><ruby>横浜<rt>よこはま</rt></ruby>市は30日、国際ロボット展にあわせて海外のロボット企業の誘致を進めると発表しました。</p>
<p>市は研究開発の拠点を設ける企業に最大で五千万円を補助する制度を新たに設けます。市長は会見で「ロボット産業の集積を目指す」と述べました。</p>
<p>市によりますと、&#x6628;年度は12社が市内に拠点を設けたということです。</p>
</div>
</div>
<div class="side"><h3>アクセスランキング</h3><ul>
<li><a href="/r/1">大谷選手が今季の最優秀選手に</a></li>
<li><a href="/r/2">週末の天気は全国的に雨の予報</a></li></ul></div>
<div class="footer">みなと新聞社 著作権 無断転載を禁じます</div>
</body>
</html>
"""

JA_BODY = ["海外のロボット企業の誘致を進めると発表しました", "昨年度は12社が市内に拠点を設けた"]
JA_BOILER = ["最優秀選手", "週末の天気", "無断転載", "社会ニュース一覧", "ランキング一位"]

PAGES = {
    "ko.html": (KO_PAGE, KO_URL, KO_BODY, KO_BOILER),
    "ja.html": (JA_PAGE, JA_URL, JA_BODY, JA_BOILER),
}

TRUTH = [
    {
        "f": "ko.html",
        "title": "안산시, 국제로봇전 참가 기업 모집",
        "date": "2024-01-10",
        "body": KO_BODY,
        "boiler": KO_BOILER,
    },
    {
        "f": "ja.html",
        "title": "横浜市、ロボット企業の誘致を強化",
        "date": "2023-11-30",
        "body": JA_BODY,
        "boiler": JA_BOILER,
    },
]
