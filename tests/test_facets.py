"""City and event facets: a place counts when it acts or is the scene, not when it only
names an institution, a former office or a passing mention; an event when it is covered.
Sentences written for the tests, one or more per kind of error seen on real news."""

import json

import pytest
from click.testing import CliRunner

from indexer.facets import cities, events
from search_app.cli import main

# (title, body, places expected, places not expected)
CITY_CASES = [
    # institutions named after a place
    ("", "수원지검은 전 임원을 기소했다고 밝혔다.", [], ["suwon"]),
    ("", "서울대 연구팀이 새 소재를 개발했다고 발표했다.", [], ["seoul"]),
    ("", "성남FC는 홈 경기에서 이겼다. 부산지방항공청은 점검에 나섰다.", [], ["seongnam", "busan"]),
    ("", "서울 영등포경찰서는 30대 남성을 입건했다고 밝혔다.", [], ["seoul"]),
    ("", "東京地裁は12日、被告に判決を言い渡した。", [], ["tokyo"]),
    # former offices and elections
    ("", "김모 전 경남지사가 회고록을 냈다. 그는 정치 원로다.", [], ["gyeongnam"]),
    ("", "그는 경기지사 시절 추진한 정책을 설명했다.", [], ["gyeonggi"]),
    # the government as actor: the suffixed word (서울시+장, 성동구+청장)
    ("", "서울시장은 9일 새 교통 대책을 발표했다.", ["seoul"], []),
    ("", "성동구청장은 주민 설명회를 열었다고 밝혔다.", ["seoul-seongdong"], []),
    ("", "무주군수가 귀농 지원책을 내놨다.", ["muju"], []),
    ("", "横浜市は30日、新しい補助制度を発表した。", ["yokohama"], []),
    # the scene, even mentioned once, later in the body
    (
        "",
        "경찰이 수사에 나섰다. 운전자는 지난 18일 오후 서울 송파구의 한 도로에서 사고를 냈다.",
        ["seoul-songpa", "seoul"],
        [],
    ),
    ("", "19일 전남 신안군 앞바다에서 어선이 좌초됐다.", ["sinan", "jeonnam"], []),
    # homonyms of common words and bare county names
    ("", "대표팀은 어제 경기에서 2대1로 이겼다. 경기장은 만원이었다.", [], ["gyeonggi"]),
    ("", "그는 영주권을 받았다. 대구탕과 진주 목걸이를 샀다.", [], ["yeongju", "daegu", "jinju"]),
    ("", "전남 무안에서 열린 축제에 관광객이 몰렸다.", ["muan"], []),
    ("", "경기 화성에서 공장 화재가 났다.", ["hwaseong"], []),
    # a district right after its city, not another city's
    ("", "부산 중구에서 화재가 나 주민이 대피했다.", ["busan-jung"], ["seoul-jung"]),
    # places compared with are not the news
    (
        "방콕보다 뜨거운 서울",
        "서울 낮 기온이 38도까지 올랐다고 서울시가 밝혔다.",
        ["seoul"],
        ["bangkok"],
    ),
    # the generated gazetteer: prefectures as their own ids, the same value in both languages
    ("", "宮城県石巻市では22日、防潮堤の工事が始まった。", ["miyagi-pref", "ishinomaki"], []),
    (
        "",
        "미야기현 이시노마키시에서는 22일 방조제 공사가 시작됐다.",
        ["miyagi-pref", "ishinomaki"],
        [],
    ),
    ("", "福岡県内で事故があった。福岡県警は捜査している。", ["fukuoka-pref"], ["fukuoka"]),
    ("", "福岡市は新しい計画を発表した。", ["fukuoka"], ["fukuoka-pref"]),
    ("", "東京都港区で22日、展示会が開かれた。", ["tokyo-minato", "tokyo"], []),
    ("", "라스베이거스에서 열린 전시회에 광주시가 참가했다.", ["las-vegas", "gwangju"], []),
    ("", "ラスベガスで開かれた見本市に光州市が参加した。", ["las-vegas", "gwangju"], []),
    # a host city in a sentence naming its event; where a trip set off; a direction from
    (
        "",
        "휴대폰은 2월 바르셀로나에서 열린 MWC에서 처음 공개됐다. 가격은 미정이다.",
        [],
        ["barcelona"],
    ),
    ("", "バルセロナで開催されたMWCで新機種が発表された。", [], ["barcelona"]),
    ("", "여객기는 홍콩에서 출발해 인천공항에 도착했다.", ["incheon"], ["hong-kong"]),
    ("", "경기도 이남 지역에 공장을 지어야 한다고 용인시가 밝혔다.", ["yongin"], ["gyeonggi"]),
    # the seat of a national institution; a branch court as the scene of a hearing
    ("", "세종시장은 서울 대통령실을 찾아 서한을 전달했다.", ["sejong"], ["seoul"]),
    ("", "선고 공판은 다음 달 안양지원에서 열린다.", [], ["anyang"]),
    # a name that is also a word, in a row of places
    ("충남·대전 통합 무산", "통합 논의가 멈췄다.", ["daejeon", "chungnam"], []),
    # an opinion column: only its title's places
    (
        "[기자의 시각] 돈 버는 사람들",
        "하노이에서 정상회담이 열린 날 시장이 흔들렸다.",
        [],
        ["hanoi"],
    ),
    # the province written before a secondary place is not kept with it
    (
        "",
        "서울시는 12일 웰컴키즈존 인증제를 시작한다고 밝혔다. 서울시는 매장 100곳을 지정한다. "
        "서울 송파구의 한 카페도 참여했다. 경남 거창의 한 카페는 따로 할인을 한다.",
        ["seoul"],
        ["gyeongnam"],
    ),
    # a non-autonomous district, a former name, a merged government
    ("", "창원시 마산합포구에서 화재가 났다.", ["changwon-masanhappo", "changwon"], []),
    ("", "2013년 청원군에서 열린 축제에 관광객이 몰렸다.", ["cheongju"], []),
    ("", "전남광주통합특별시는 12일 새 청사 계획을 발표했다.", ["jeonnam-gwangju"], ["gwangju"]),
    # a foreign city a delegation visits, beside the city that acts, is not kept; as the
    # main place, or with its own government acting, it is
    (
        "광주시장, 미국 출장길",
        "광주시장은 5일 출국했다. 광주시는 8일부터 샌프란시스코에서 투자 설명회를 연다.",
        ["gwangju"],
        ["san-francisco"],
    ),
    ("", "샌프란시스코 시장은 9일 새 교통 대책을 발표했다.", ["san-francisco"], []),
    # a katakana name inside a longer katakana word is not the place
    ("", "新シリーズの『プロメテウス』が公開された。シリーズ最新作だ。", [], ["leeds", "lome"]),
    # generated names that are common words count only where the text makes them places
    (
        "",
        "지난해 선전 효과가 컸다. 지난 대회에서 선전했다. 기후 변화가 심하다.",
        [],
        ["shenzhen", "gifu-pref"],
    ),
    # passing mentions: a list of readings, people's columns
    ("", "오늘 아침 기온은 서울 -5도, 대전 -3도, 부산 2도였다. 바람이 강하다.", [], ["daejeon"]),
    (
        "[부음] 홍길동씨 별세",
        "홍길동씨 별세, 홍철수(부산시청 과장)씨 부친상=서울 중구 장례식장.",
        [],
        ["busan"],
    ),
]


@pytest.mark.parametrize(("title", "body", "expected", "not_expected"), CITY_CASES)
def test_city_salience(title, body, expected, not_expected):
    found = cities(title, body)
    assert all(p in found for p in expected), found
    assert not [p for p in not_expected if p in found], found


EVENT_CASES = [
    ("광주시, CES 2024 통합관 운영", "광주시는 CES 2024에 통합관을 운영한다.", ["ces-2024"]),
    ("", "시는 올해도 CES에 참가해 부스를 꾸린다. 기업 12곳이 함께 간다.", ["ces"]),
    ("", "행정은 시민 체감이 중요하다. 이 축제를 CES처럼 키우겠다고 했다.", []),
    ("", "올해 행사는 성황이었다. 이 제품은 CES 2025 혁신상을 받았다.", []),
    ("", "製品は好評だ。1月のCESで発表されたモデルが発売された。", []),
    # the edition's year, further back in its sentence
    (
        "",
        "話題になった。2012年1月に米ラスベガスで開かれた家電見本市CESに出展した各社を見た。",
        ["ces-2012"],
    ),
    ("", "新製品はCeBIT 2012で展示された。会場は賑わった。", ["cebit-2012"]),
]


@pytest.mark.parametrize(("title", "body", "expected"), EVENT_CASES)
def test_events_only_when_covered(title, body, expected):
    assert events(title, body) == expected


def test_eval_facets_scores_labelled_articles(tmp_path):
    records = [
        {
            "id": "a1",
            "lang": "ko",
            "title": "안산시, 로봇 기업 모집",
            "body": "안산시는 10일 로봇 기업을 모집한다고 밝혔다. 수원지검은 무관하다.",
            "group": "g",
            "gold": {
                "city_required": ["ansan"],
                "city_acceptable": ["gyeonggi"],
                "event_required": [],
                "event_acceptable": [],
                "missing": [],
            },
        },
        {
            "id": "a2",
            "lang": "ja",
            "title": "港区で祭り",
            "body": "東京都港区で10日、祭りが開かれた。",
            "group": "g",
            "gold": {
                "city_required": ["seoul"],
                "city_acceptable": [],
                "event_required": [],
                "event_acceptable": [],
                "missing": ["港区 (Tokyo ward)"],
            },
        },
    ]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    result = CliRunner().invoke(main, ["eval-facets", str(labels), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["articles"] == 2 and data["city"]["required"] == 2
    assert data["city"]["found"] == 1 and data["missed"][0][:3] == ["a2", "city", "seoul"]
    text = CliRunner().invoke(main, ["eval-facets", str(labels)]).output
    assert "city           precision" in text and "missed  city   seoul" in text
