"""Traditional <-> Simplified Chinese by a small character table.

The report's Chinese is written once in Traditional characters (the
federation's own summary is Traditional) and converted for Simplified
readers character by character: the table covers every character of the
report's wording and of the demo records, plus common surnames and name
characters. Traditional -> Simplified is safe character by character.
Simplified -> Traditional (for records typed in Simplified, shown in a
Traditional report) is only done where one Traditional character is meant;
ambiguous characters (发: 發/髮, 干: 幹/乾/干, 后: 後/后...) are left as typed.
"""

from __future__ import annotations

# Traditional, Simplified: pairs written as two aligned strings, 30 to a line.
_TRAD = (
    "並來個們備傳優兒內兩冊創則務勞動匯區協參員問單國圍圓圖團執報場奧"
    "實審寫寶將專對導屆層師幫幹廠廣張強後徵復悅態應戶據攝斷於時書會東"
    "極楓業構標樣橋機檢權歡殘氣況準滬滿濟濱灣無營爲牀狀獲現環畫療發監"
    "瞭確礎種積穩竈競節範簡籌籤紉納紙級細組結統絹經維編練縫總織繞繡繪"
    "繳續義聯聲職聽聾腦臨與興舉華萬薦藝藥蝸術衛補裝覈見規視訂計訓記訪"
    "設評詢試話語調諧諮證議護讓豐負貧責費貼貿賀資賓賣賽車輔輛輸辦農這"
    "週進遊運達適還醫錄鎮鑰長門開間關陽難電項順預領題額願類顯飲養館駕"
    "駛驗體髮點學陳劉楊趙黃吳孫馬羅鄭謝許韓馮鄧蕭蔣葉蘇呂盧鍾譚陸賈韋"
    "鄒龍顧龔錢嚴湯傑偉麗靜紅蘭鳳雲軍連歲齡習廳樓貴處縣鄉說讀請認識誌"
    "寧憶屬條溝擔擇擴據損換揮搶敵數歷殺決沒淚淺湧滅漢潔濃災燈煙熱爭愛"
    "狹猶獎產畢異療盡盤眾礦禮穀窮筆築糧緊線練縣總罰聖腳臺與艦蘭虛號蟲"
    "親覺觀託記許訴詞誠誤說課談論諸謀謂講識警譯變讚財貨販貫貴買貸費資"
    "賞賠賢賤賴趕趙跡踐蹤軌軟較載輕輪辭辯遲遞遠適遺選還邊郵鄰醜釋銀銷"
    "鋼錯鍛鏡鐵閉閃閱闊防陣陰隊階際隨險隱雙雜雞離雖靈響頁頂項須頌領頭"
    "頻顆願顏風飛飯飽餘餓首騎騰驚鬥鬧魚鳥鳴麥黨齊齒龜別啟"
    "亞岡剛廈園爾島徑擲曉夢澤濤瑤籃脫臘艷薩詩貝輝閆穎魯鴻鵬凱茲頓倫夥錶幣稱鍵"
)
_SIMP = (
    "并来个们备传优儿内两册创则务劳动汇区协参员问单国围圆图团执报场奥"
    "实审写宝将专对导届层师帮干厂广张强后征复悦态应户据摄断于时书会东"
    "极枫业构标样桥机检权欢残气况准沪满济滨湾无营为床状获现环画疗发监"
    "了确础种积稳灶竞节范简筹签纫纳纸级细组结统绢经维编练缝总织绕绣绘"
    "缴续义联声职听聋脑临与兴举华万荐艺药蜗术卫补装核见规视订计训记访"
    "设评询试话语调谐咨证议护让丰负贫责费贴贸贺资宾卖赛车辅辆输办农这"
    "周进游运达适还医录镇钥长门开间关阳难电项顺预领题额愿类显饮养馆驾"
    "驶验体发点学陈刘杨赵黄吴孙马罗郑谢许韩冯邓萧蒋叶苏吕卢钟谭陆贾韦"
    "邹龙顾龚钱严汤杰伟丽静红兰凤云军连岁龄习厅楼贵处县乡说读请认识志"
    "宁忆属条沟担择扩据损换挥抢敌数历杀决没泪浅涌灭汉洁浓灾灯烟热争爱"
    "狭犹奖产毕异疗尽盘众矿礼谷穷笔筑粮紧线练县总罚圣脚台与舰兰虚号虫"
    "亲觉观托记许诉词诚误说课谈论诸谋谓讲识警译变赞财货贩贯贵买贷费资"
    "赏赔贤贱赖赶赵迹践踪轨软较载轻轮辞辩迟递远适遗选还边邮邻丑释银销"
    "钢错锻镜铁闭闪阅阔防阵阴队阶际随险隐双杂鸡离虽灵响页顶项须颂领头"
    "频颗愿颜风飞饭饱余饿首骑腾惊斗闹鱼鸟鸣麦党齐齿龟别启"
    "亚冈刚厦园尔岛径掷晓梦泽涛瑶篮脱腊艳萨诗贝辉闫颖鲁鸿鹏凯兹顿伦伙表币称键"
)

# Simplified characters that stand for more than one Traditional one (or are
# themselves Traditional words): never converted back.
_AMBIGUOUS = set("了干后发复周准范核征于云丰咨游签汇叶台余只系里面钟志斗谷历松")

T2S: dict[str, str] = {}
for _t, _s in zip(_TRAD, _SIMP, strict=True):
    if _t != _s:
        T2S.setdefault(_t, _s)

S2T: dict[str, str] = {}
for _t, _s in T2S.items():
    if _s not in _AMBIGUOUS and _s not in T2S:
        S2T.setdefault(_s, _t)
del _t, _s

_T2S_TABLE = str.maketrans(T2S)
_S2T_TABLE = str.maketrans(S2T)


def to_simplified(text: str) -> str:
    """Traditional text in Simplified characters."""
    return text.translate(_T2S_TABLE)


def to_traditional(text: str) -> str:
    """Simplified text in Traditional characters where the character is unambiguous."""
    return text.translate(_S2T_TABLE)
