-- Watchroom background records for the default precinct map (Maps/jiangbei-city.wrmap).
--
-- ALL FICTIONAL. Every person, phone number, vehicle, plate, incident and warning in
-- this file is invented for tests and demonstrations. Phone numbers use the reserved-
-- looking 138-0000-xxxx / 139-0000-xxxx pattern; plates are 渝A·xxxxx made up here.
-- Any resemblance to real people is coincidental.
--
-- Loaded by SQLiteRecords.build(fromSQL:at:) after the schema migrations (this file
-- holds INSERTs only; the schema lives in Sources/WatchroomRecords/Records/RecordsSchema.swift).
-- Address keys and street keys are the map's ids; a test checks each one against the map.
-- Phones are stored as digits only. Dates: YYYY-MM-DD; warnings: since YYYY-MM.
--
-- Scenarios:
--   * knife dispute on 永平门街: 刘桂芬 (p09), 永平门街23号院 2-301 (a06),
--     warning "knife involved, 2025-03" (earlier consumer dispute at 江北城百货, a09).
--   * suicide-risk call: 陈静 (p30), 文昌街15号 (a29), warnings "previous suicide attempt, 2024-11"
--     and "talks to female officers, 2024-11".
--   * dog on premises: 溪东路9号 (a47), address warning.

-- Streets (map street key, Chinese name, roman name)
INSERT INTO street (key, name, roman) VALUES
  ('yongping',     '永平门街',   'Yongping Gate Street'),
  ('zhengjie',     '正街',       'Zheng Street'),
  ('shangheng',    '上横街',     'Shangheng Street'),
  ('xiaheng',      '下横街',     'Xiaheng Street'),
  ('baoning',      '保宁街',     'Baoning Street'),
  ('wenchang',     '文昌街',     'Wenchang Street'),
  ('dongsheng',    '东升街',     'Dongsheng Street'),
  ('jiangbeicheng','江北城大街', 'Jiangbeicheng Avenue'),
  ('juxian',       '聚贤街',     'Juxian Street'),
  ('xidong',       '溪东路',     'Xidong Road'),
  ('jianxin',      '建新路',     'Jianxin Road');

-- Addresses (map address id, street key, number, place name from the map if any)
INSERT INTO address (key, street_key, number, name) VALUES
  ('a01', 'yongping', '1',  '永平门茶馆'),
  ('a02', 'yongping', '2',  NULL),
  ('a03', 'yongping', '7',  NULL),
  ('a05', 'yongping', '18', NULL),
  ('a06', 'yongping', '23', '永平门街23号院'),
  ('a07', 'yongping', '26', NULL),
  ('a08', 'yongping', '31', NULL),
  ('a09', 'yongping', '40', '江北城百货'),
  ('a10', 'yongping', '45', NULL),
  ('a13', 'zhengjie', '3',  NULL),
  ('a15', 'zhengjie', '27', NULL),
  ('a18', 'shangheng', '5', NULL),
  ('a21', 'xiaheng', '8',   NULL),
  ('a23', 'xiaheng', '30',  NULL),
  ('a24', 'baoning', '9',   NULL),
  ('a28', 'wenchang', '6',  NULL),
  ('a29', 'wenchang', '15', '文昌街15号'),
  ('a30', 'dongsheng', '10', NULL),
  ('a37', 'jiangbeicheng', '100', NULL),
  ('a43', 'juxian', '8',    NULL),
  ('a47', 'xidong', '9',    '溪东路9号'),
  ('a49', 'jianxin', '35',  NULL);

-- People (born YYYY or YYYY-MM-DD; phone = main number, digits only)
INSERT INTO person (id, name, born, phone, note) VALUES
  ('p01', '王建国', '1961',       '13800001001', NULL),
  ('p02', '李秀英', '1963',       '13800001002', NULL),
  ('p03', '王磊',   '1990-04-12', '13800001003', 'works nights at the river port'),
  ('p04', '赵德明', '1955',       '13800001004', 'uses a wheelchair'),
  ('p05', '赵淑华', '1957',       NULL,          NULL),
  ('p06', '孙志强', '1978',       '13800001006', NULL),
  ('p07', '孙丽',   '1981',       '13800001007', NULL),
  ('p08', '孙浩然', '2009',       NULL,          'minor'),
  ('p09', '刘桂芬', '1974-09-03', '13800001009', 'runs a market stall; disputes with shops on 永平门街'),
  ('p10', '周涛',   '1972',       '13800001010', NULL),
  ('p11', '吴晓燕', '1986',       '13800001011', NULL),
  ('p12', '郑国华', '1949',       '13800001012', 'lives alone; neighbour 吴晓燕 checks on him'),
  ('p13', '冯小军', '1995',       '13800001013', NULL),
  ('p14', '陈大伟', '1969',       '13800001014', NULL),
  ('p15', '陈美玲', '1971',       '13800001015', NULL),
  ('p16', '杨帆',   '1999',       '13800001016', 'tenant'),
  ('p17', '黄志明', '1983',       '13800001017', NULL),
  ('p18', '黄婷',   '1985',       '13800001018', NULL),
  ('p19', '何永福', '1940',       '13800001019', 'dementia; has wandered off before'),
  ('p20', '何建军', '1966',       '13800001020', 'son of 何永福'),
  ('p21', '林峰',   '1988',       '13900001021', NULL),
  ('p22', '高秀兰', '1958',       '13900001022', NULL),
  ('p23', '马超',   '1992',       '13900001023', NULL),
  ('p24', '马丽娟', '1993',       '13900001024', NULL),
  ('p25', '罗文',   '1976',       '13900001025', NULL),
  ('p26', '罗小雨', '2012',       NULL,          'minor'),
  ('p27', '谢军',   '1980',       '13900001027', NULL),
  ('p28', '谢芳',   '1982',       '13900001028', NULL),
  ('p29', '唐国强', '1950',       '13900001029', NULL),
  ('p30', '陈静',   '1997-02-21', '13900001030', 'lives with her mother'),
  ('p31', '张淑珍', '1968',       '13900001031', 'mother of 陈静'),
  ('p32', '韩磊',   '1987',       '13900001032', NULL),
  ('p33', '曹雪',   '1990',       '13900001033', NULL),
  ('p34', '邓志刚', '1975',       '13900001034', NULL),
  ('p35', '许亮',   '1984',       '13900001035', 'keeps dogs'),
  ('p36', '许敏',   '1986',       '13900001036', NULL),
  ('p37', '彭勇',   '1979',       '13900001037', NULL),
  ('p38', '彭佳怡', '2006',       '13900001038', NULL),
  ('p39', '蒋红',   '1962',       '13900001039', NULL),
  ('p40', '蔡明',   '1994',       '13900001040', NULL),
  ('p41', '田晓东', '1971',       '13900001041', NULL),
  ('p42', '范丽华', '1973',       '13900001042', NULL);

-- Households (map address id; unit for flats in a compound)
INSERT INTO household (id, address_key, unit) VALUES
  ('h01', 'a02', NULL),
  ('h02', 'a03', NULL),
  ('h03', 'a05', NULL),
  ('h04', 'a06', '1-101'),
  ('h05', 'a06', '2-301'),
  ('h06', 'a06', '3-502'),
  ('h07', 'a07', NULL),
  ('h08', 'a08', NULL),
  ('h09', 'a10', NULL),
  ('h10', 'a13', NULL),
  ('h11', 'a15', NULL),
  ('h12', 'a18', NULL),
  ('h13', 'a21', NULL),
  ('h14', 'a23', NULL),
  ('h15', 'a24', NULL),
  ('h16', 'a28', NULL),
  ('h17', 'a29', NULL),
  ('h18', 'a30', NULL),
  ('h19', 'a37', NULL),
  ('h20', 'a43', NULL),
  ('h21', 'a47', NULL),
  ('h22', 'a49', NULL);

INSERT INTO resident (person_id, household_id, role) VALUES
  ('p01', 'h01', 'head'), ('p02', 'h01', 'spouse'), ('p03', 'h01', 'child'),
  ('p04', 'h02', 'head'), ('p05', 'h02', 'spouse'),
  ('p06', 'h03', 'head'), ('p07', 'h03', 'spouse'), ('p08', 'h03', 'child'),
  ('p10', 'h04', 'head'), ('p11', 'h04', 'spouse'),
  ('p09', 'h05', 'head'),
  ('p12', 'h06', 'head'),
  ('p13', 'h07', 'tenant'),
  ('p14', 'h08', 'head'), ('p15', 'h08', 'spouse'), ('p16', 'h08', 'lodger'),
  ('p17', 'h09', 'head'), ('p18', 'h09', 'spouse'),
  ('p19', 'h10', 'head'), ('p20', 'h10', 'child'),
  ('p21', 'h11', 'tenant'),
  ('p22', 'h12', 'head'),
  ('p23', 'h13', 'head'), ('p24', 'h13', 'spouse'),
  ('p25', 'h14', 'head'), ('p26', 'h14', 'child'),
  ('p27', 'h15', 'head'), ('p28', 'h15', 'spouse'),
  ('p29', 'h16', 'head'),
  ('p30', 'h17', 'child'), ('p31', 'h17', 'head'),
  ('p32', 'h18', 'head'), ('p33', 'h18', 'partner'),
  ('p34', 'h19', 'head'),
  ('p35', 'h21', 'head'), ('p36', 'h21', 'spouse'),
  ('p37', 'h20', 'head'), ('p38', 'h20', 'child'),
  ('p39', 'h22', 'head'), ('p40', 'h22', 'tenant'),
  ('p41', 'h06', 'carer');
-- p42 范丽华 has a phone on record but no household in the precinct.

-- Phone numbers (digits only); main numbers repeated here, plus landlines and second numbers.
INSERT INTO phone (number, person_id, kind) VALUES
  ('13800001001', 'p01', 'mobile'), ('13800001002', 'p02', 'mobile'), ('13800001003', 'p03', 'mobile'),
  ('13800001004', 'p04', 'mobile'), ('13800001006', 'p06', 'mobile'), ('13800001007', 'p07', 'mobile'),
  ('13800001009', 'p09', 'mobile'), ('13900001109', 'p09', 'mobile'),
  ('13800001010', 'p10', 'mobile'), ('13800001011', 'p11', 'mobile'), ('13800001012', 'p12', 'mobile'),
  ('13800001013', 'p13', 'mobile'), ('13800001014', 'p14', 'mobile'), ('13800001015', 'p15', 'mobile'),
  ('13800001016', 'p16', 'mobile'), ('13800001017', 'p17', 'mobile'), ('13800001018', 'p18', 'mobile'),
  ('13800001019', 'p19', 'mobile'), ('13800001020', 'p20', 'mobile'),
  ('13900001021', 'p21', 'mobile'), ('13900001022', 'p22', 'mobile'), ('13900001023', 'p23', 'mobile'),
  ('13900001024', 'p24', 'mobile'), ('13900001025', 'p25', 'mobile'), ('13900001027', 'p27', 'mobile'),
  ('13900001028', 'p28', 'mobile'), ('13900001029', 'p29', 'mobile'), ('13900001030', 'p30', 'mobile'),
  ('13900001031', 'p31', 'mobile'), ('13900001032', 'p32', 'mobile'), ('13900001033', 'p33', 'mobile'),
  ('13900001034', 'p34', 'mobile'), ('13900001035', 'p35', 'mobile'), ('13900001036', 'p36', 'mobile'),
  ('13900001037', 'p37', 'mobile'), ('13900001038', 'p38', 'mobile'), ('13900001039', 'p39', 'mobile'),
  ('13900001040', 'p40', 'mobile'), ('13900001041', 'p41', 'mobile'), ('13900001042', 'p42', 'mobile'),
  -- household landlines (fictional, 023-6000-xxxx style stored as digits)
  ('02360000101', 'p01', 'landline'), ('02360000101', 'p02', 'landline'),
  ('02360000117', 'p31', 'landline'), ('02360000117', 'p30', 'landline');

-- Vehicles (fictional plates)
INSERT INTO vehicle (plate, person_id, make, colour) VALUES
  ('渝A·10231', 'p01', 'Volkswagen Lavida', 'silver'),
  ('渝A·20417', 'p06', 'BYD Qin',           'white'),
  ('渝A·31550', 'p09', 'Wuling Hongguang',  'grey'),
  ('渝A·42086', 'p10', 'Toyota Corolla',    'black'),
  ('渝A·50913', 'p14', 'Changan CS75',      'red'),
  ('渝A·61274', 'p17', 'Honda Accord',      'blue'),
  ('渝A·72308', 'p23', 'Geely Emgrand',     'white'),
  ('渝A·83645', 'p27', 'Haval H6',          'black'),
  ('渝A·94152', 'p34', 'Buick Excelle',     'silver'),
  ('渝A·05789', 'p35', 'Foton van',         'white'),
  ('渝A·16820', 'p37', 'Nissan Sylphy',     'grey');

-- Earlier incidents (date, IncidentCategory raw value, summary, outcome)
INSERT INTO past_incident (id, address_key, date, category, summary, outcome) VALUES
  ('r001', 'a09', '2025-03-14', 'dispute',       'Refund dispute at the department store counter; a woman drew a kitchen knife and threatened staff.', 'Disarmed without injury; knife seized; 5 days administrative detention.'),
  ('r002', 'a01', '2024-08-02', 'dispute',       'Argument over a bill at the teahouse, chairs thrown.', 'Mediated on scene; damages paid.'),
  ('r003', 'a06', '2024-12-20', 'noise',         'Loud argument in flat 2-301 late at night, neighbours called.', 'Warning given; no further action.'),
  ('r004', 'a29', '2024-11-08', 'suicideRisk',   'Young woman on the roof of her building, mother called.', 'Talked down by a female officer after 40 minutes; taken to hospital; follow-up by community worker.'),
  ('r005', 'a29', '2025-06-30', 'suicideRisk',   'Welfare check after worrying messages to a friend.', 'Found safe at home with her mother; referred to counselling.'),
  ('r006', 'a13', '2025-01-17', 'missingPerson', 'Elderly man with dementia missing since the morning.', 'Found after 3 hours at the old ferry pier, unharmed; returned home.'),
  ('r007', 'a23', '2024-06-11', 'domestic',      'Domestic quarrel with pushing; neighbour called.', 'Written warning to the husband; victim declined to press charges.'),
  ('r008', 'a23', '2025-02-03', 'domestic',      'Repeat domestic call, shouting and a broken window.', 'Husband taken to the station; protection order applied for.'),
  ('r009', 'a47', '2025-04-22', 'other',         'Courier bitten by a dog in the yard.', 'Owner paid medical costs; dog to be chained when visitors come.'),
  ('r010', 'a08', '2023-10-05', 'theft',         'Electric scooter stolen from the entrance hall.', 'Not recovered; case open.'),
  ('r011', 'a37', '2024-03-19', 'trafficAccident','Car reversing out of the lane hit a cyclist.', 'Minor injuries; insurance settled.'),
  ('r012', 'a05', '2024-09-09', 'assault',       'Fight between neighbours over a parking space.', 'Both fined; mediation agreement signed.'),
  ('r013', 'a10', '2025-05-01', 'fire',          'Kitchen fire, smoke in the stairwell.', 'Put out by the fire service; no injuries.'),
  ('r014', 'a18', '2023-12-24', 'theft',         'Elderly woman reported a phone scam call asking for a transfer.', 'No money lost; scam number reported.'),
  ('r015', 'a43', '2025-07-15', 'noise',         'Party noise past midnight.', 'Music turned down after a visit.'),
  ('r016', 'a02', '2025-03-14', 'dispute',       'Follow-up visit: the department store refund dispute continued on the phone to the family.', 'Advice given; no offence.');

INSERT INTO involvement (person_id, past_incident_id, role) VALUES
  ('p09', 'r001', 'suspect'),
  ('p23', 'r002', 'involved'), ('p06', 'r002', 'involved'),
  ('p09', 'r003', 'subject'), ('p12', 'r003', 'caller'),
  ('p30', 'r004', 'subject'), ('p31', 'r004', 'caller'),
  ('p30', 'r005', 'subject'),
  ('p19', 'r006', 'subject'), ('p20', 'r006', 'caller'),
  ('p25', 'r007', 'suspect'), ('p22', 'r007', 'caller'),
  ('p25', 'r008', 'suspect'),
  ('p35', 'r009', 'involved'),
  ('p16', 'r010', 'victim'),
  ('p34', 'r011', 'involved'),
  ('p06', 'r012', 'involved'), ('p13', 'r012', 'involved'),
  ('p17', 'r013', 'caller'),
  ('p22', 'r014', 'victim'),
  ('p32', 'r015', 'involved'),
  ('p01', 'r016', 'involved');

-- Warnings (person or address; since YYYY-MM; info / caution / danger)
INSERT INTO warning (id, person_id, address_key, text, since, severity) VALUES
  ('w01', 'p09', NULL,  'knife involved',                        '2025-03', 'danger'),
  ('w02', 'p30', NULL,  'previous suicide attempt',              '2024-11', 'danger'),
  ('w03', 'p30', NULL,  'talks to female officers',              '2024-11', 'info'),
  ('w04', NULL,  'a47', 'dog on premises (large, bites strangers)', '2025-04', 'caution'),
  ('w05', 'p25', NULL,  'domestic violence, repeat',             '2025-02', 'danger'),
  ('w06', NULL,  'a23', 'children in the household during domestic calls', '2024-06', 'caution'),
  ('w07', 'p19', NULL,  'dementia, wanders; may not answer to his name', '2025-01', 'info'),
  ('w08', 'p04', NULL,  'wheelchair user, ground floor',         '2024-01', 'info'),
  ('w09', NULL,  'a06', 'compound gate locked after 23:00, code at the guard post', '2024-05', 'info');
