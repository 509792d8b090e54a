"""The seed cases of DOMAIN.md as registry data (fictional, checksum-valid codes)."""

from __future__ import annotations

# key, name, name_en, org_type, kind, division, legal representative, founded, fields, umbrella key
SEED_ORGANIZATIONS: list[dict[str, str]] = [
    # Chengdu NGO Service Park, high-tech zone (seed 000)
    {"key": "cd-park", "name": "成都高新区公益组织服务园运营中心", "name_en": "Chengdu NGO Service Park",
     "org_type": "social_service_agency", "kind": "direct", "division": "510107019",
     "rep": "徐文", "founded": "2012-02-15", "fields": "community;social_work",
     "address": "成都市高新区紫瑞北街8号"},
    {"key": "spina", "name": "成都高新区推动力公益发展中心", "name_en": "SpinaChina",
     "org_type": "social_service_agency", "kind": "direct", "division": "510107019",
     "rep": "王晓明", "founded": "2009-06-01", "fields": "disability;medical;community",
     "address": "成都市高新区紫瑞北街8号3楼"},
    {"key": "cd-foundation", "name": "成都高新区公益发展基金会", "name_en": "Chengdu Public Welfare Foundation",
     "org_type": "foundation", "kind": "direct", "division": "510107019", "rep": "李思源",
     "founded": "2012-09-10", "fields": "community;education;poverty", "address": "成都市高新区天府大道北段"},
    # Jinan Shizhong incubator park (seed 001)
    {"key": "jn-park", "name": "济南市市中区社会组织孵化园", "name_en": "Jinan Shizhong Social Organization Incubator Park",
     "org_type": "social_service_agency", "kind": "direct", "division": "370103014", "rep": "张建国",
     "founded": "2011-11-18", "fields": "community;social_work", "address": "济南市市中区泺源大街"},
    {"key": "raindrop", "name": "济南市市中区雨滴公益服务中心", "name_en": "Raindrop Public Service Center",
     "org_type": "social_service_agency", "kind": "direct", "division": "370103014", "rep": "刘雨",
     "founded": "2012-03-20", "fields": "children;youth;community", "address": "济南市市中区孵化园2楼"},
    {"key": "jn-sw-assoc", "name": "济南市市中区社会工作者协会", "name_en": "Shizhong Association of Social Workers",
     "org_type": "social_group", "kind": "registered", "division": "370103", "rep": "陈丽",
     "founded": "2010-05-04", "fields": "social_work;elderly", "address": "济南市市中区经四路",
     "supervising_unit": "济南市市中区民政局"},
    {"key": "blue-vest", "name": "七里山街道蓝马甲志愿服务队", "name_en": "Blue Vest Volunteers",
     "org_type": "other", "kind": "filed", "division": "370103009", "rep": "赵大爷",
     "founded": "2011-04-01", "fields": "community;elderly", "address": "济南市市中区七里山街道",
     "filing": "市中民备字〔2011〕第007号"},
    # Shanghai Putuo, Changshoulu (seed 002)
    {"key": "csl-center", "name": "上海市普陀区长寿路街道社会组织服务中心", "name_en": "Changshoulu Social Organization Service Center",
     "org_type": "social_service_agency", "kind": "direct", "division": "310107015", "rep": "周敏",
     "founded": "2005-08-01", "fields": "community;poverty;elderly", "address": "上海市普陀区长寿路"},
    {"key": "csl-neighbours", "name": "长寿路街道睦邻互助会", "name_en": "Changshoulu Neighbours' Mutual Aid",
     "org_type": "other", "kind": "filed", "division": "310107015", "rep": "孙阿姨",
     "founded": "2006-03-15", "fields": "community;elderly", "address": "上海市普陀区长寿路街道",
     "filing": "普民备〔2006〕015号"},
    {"key": "ymca", "name": "上海基督教青年会", "name_en": "Shanghai YMCA",
     "org_type": "social_group", "kind": "registered", "division": "310101", "rep": "吴国华",
     "founded": "1900-03-01", "fields": "youth;elderly;community;education", "address": "上海市黄浦区西藏南路",
     "supervising_unit": "上海市民族和宗教事务局"},
    # Beijing "1 association + 4 agencies" (seed 003)
    {"key": "xc-assoc", "name": "北京市西城区社会工作协会", "name_en": "Xicheng District Social Work Association",
     "org_type": "social_group", "kind": "registered", "division": "110102", "rep": "郑红",
     "founded": "2008-12-01", "fields": "social_work;community", "address": "北京市西城区德胜门外大街",
     "supervising_unit": "北京市西城区民政局"},
    {"key": "hope", "name": "北京市西城区希望社会工作事务所", "name_en": "Hope Social Work Agency",
     "org_type": "social_service_agency", "kind": "direct", "division": "110102012", "rep": "何望",
     "founded": "2009-03-01", "fields": "social_work;children", "address": "北京市西城区什刹海"},
    {"key": "muyou", "name": "北京市西城区牧友社会工作事务所", "name_en": "Mu You Social Work Agency",
     "org_type": "social_service_agency", "kind": "direct", "division": "110102007", "rep": "牧晓",
     "founded": "2009-07-15", "fields": "social_work;medical", "address": "北京市西城区月坛"},
    {"key": "yuequn", "name": "悦群社会工作事务所", "name_en": "Yue Qun Social Work Agency",
     "org_type": "social_service_agency", "kind": "attached", "division": "110102009", "rep": "岳群",
     "founded": "2010-01-10", "fields": "social_work;elderly", "address": "北京市西城区展览路",
     "umbrella": "xc-assoc"},
    {"key": "renzhu", "name": "仁助社会工作事务所", "name_en": "Ren Zhu Social Work Agency",
     "org_type": "social_service_agency", "kind": "attached", "division": "110102016", "rep": "任助",
     "founded": "2010-06-01", "fields": "social_work;education", "address": "北京市西城区陶然亭",
     "umbrella": "xc-assoc"},
    {"key": "zhuren", "name": "北京市东城区助人社会工作事务所", "name_en": "Zhu Ren Social Work Agency",
     "org_type": "social_service_agency", "kind": "direct", "division": "110101010", "rep": "朱仁",
     "founded": "2007-09-01", "fields": "social_work;elderly;medical", "address": "北京市东城区和平里"},
    {"key": "facilitator", "name": "北京协作者社会工作发展中心", "name_en": "Facilitator",
     "org_type": "social_service_agency", "kind": "direct", "division": "110105008", "rep": "李涛",
     "founded": "2003-04-01", "fields": "employment;social_work;legal", "address": "北京市朝阳区安贞"},
]

# Divisions in which the generated organizations are spread.
GENERATED_DIVISIONS = [
    "510107019", "510107018", "510107020", "510107021", "370103014", "370103009", "370103012",
    "310107015", "310107016", "310107005", "110102012", "110102007", "110101010", "110105008",
]
PREFIX_BY_PROVINCE = {"51": "成都市武侯区", "37": "济南市市中区", "31": "上海市普陀区", "11": "北京市"}
CORES = ["阳光", "彩虹", "暖心", "益路", "同行", "星火", "绿芽", "乐龄", "晨曦", "青禾", "善邻",
         "微光", "知行", "春晖", "心桥", "安康", "映山红", "向日葵", "蒲公英", "和睦"]
SUFFIXES = [
    ("社区服务中心", "social_service_agency", "community;elderly"),
    ("社会工作服务中心", "social_service_agency", "social_work;children"),
    ("志愿者协会", "social_group", "community;disaster"),
    ("助残服务中心", "social_service_agency", "disability;employment"),
    ("青少年发展中心", "social_service_agency", "youth;education"),
    ("环保促进会", "social_group", "environment"),
    ("文化传播中心", "social_service_agency", "culture;community"),
    ("公益服务中心", "social_service_agency", "poverty;community"),
    ("法律援助服务中心", "social_service_agency", "legal"),
    ("妇女儿童服务中心", "social_service_agency", "women;children"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明"]
