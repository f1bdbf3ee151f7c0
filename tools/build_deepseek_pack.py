#!/usr/bin/env python3
"""Builds examples/deepseek-v4/claims.json from the minutes beside it.

Every claim is written here with the minutes' own words as its quote; the
locator (the minute) is found from the quote, never typed, and a quantity
must stand in its quote.  Run it after editing, then the tests:

    python3 tools/build_deepseek_pack.py
"""
import json
import os
import re

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "examples", "deepseek-v4")
T = open(os.path.join(HERE, 'minutes.txt'), encoding='utf-8').read()
SEGS = [(m.group(1), m.start(2), m.end(2)) for m in
        re.finditer(r'发言人1\s+(\d\d:\d\d)\n(.*?)(?=\n发言人1|\Z)', T, re.S)]

def loc(quote):
    i = T.find(quote)
    assert i >= 0, quote
    for ts, a, b in SEGS:
        if a <= i < b:
            assert i + len(quote) <= b, ('quote crosses segments', quote)
            return ts
    raise AssertionError(quote)

SRC = 'dsv4-minutes'
claims = []
def view(actor, q, stance, quote, tags=()):
    c = {'source': SRC, 'actor': actor, 'question': q, 'stance': stance,
         'locator': loc(quote), 'quote': quote}
    if tags: c['tags'] = list(tags)
    claims.append(c)
def obs(actor, entity, metric, quote, period=None, tags=(), **kw):
    c = {'source': SRC, 'actor': actor, 'entity': entity, 'metric': metric,
         'locator': loc(quote), 'quote': quote}
    if period: c['period'] = period
    if tags: c['tags'] = list(tags)
    c.update(kw)
    if 'quantity' in kw: assert kw['quantity'] in quote, kw['quantity']
    claims.append(c)

pack = {'claimkit': 1}
pack['sources'] = [{
    'id': SRC, 'title': 'DeepSeek V4 发布：国内外机构的共识与分歧（研究纪要）',
    'kind': 'transcript', 'publisher': '思维纪要社', 'published': '2026-04-28',
    'lang': 'zh'}]
pack['frameworks'] = [
    {'id': 'tech-frontier', 'name': '技术前沿性 (technology frontier)'},
    {'id': 'industry-infrastructure', 'name': '产业基础设施 (industry infrastructure)'},
    {'id': 'commercial-realization', 'name': '商业兑现 (commercial realization)'},
]
INFER = '纪要未点明该组机构的区域；按上下文归类 (region inferred from context)'
pack['actors'] = [
    {'id': 'domestic-institutions', 'name': '国内机构 (mainstream domestic institutions)', 'region': 'domestic', 'kind': 'group'},
    {'id': 'overseas-institutions', 'name': '海外机构 (mainstream overseas institutions)', 'region': 'overseas', 'kind': 'group'},
    {'id': 'optimistic-institutions', 'name': '乐观机构 (optimistic institutions)', 'region': 'domestic', 'kind': 'group', 'note': INFER},
    {'id': 'cautious-institutions', 'name': '谨慎机构 (cautious institutions)', 'region': 'overseas', 'kind': 'group', 'note': INFER},
    {'id': 'domestic-sell-side', 'name': '国内卖方 (domestic sell-side analysts)', 'region': 'domestic', 'kind': 'group'},
    {'id': 'efficiency-bears', 'name': '担心效率压缩算力需求的海外机构 (overseas efficiency bears)', 'region': 'overseas', 'kind': 'group'},
    {'id': 'jevons-camp', 'name': '援引杰文斯悖论的机构 (Jevons-paradox camp)', 'region': 'overseas', 'kind': 'group', 'note': INFER},
    {'id': 'asia-thematic-alpha', 'name': 'Asia Thematic Alpha', 'region': 'overseas', 'kind': 'research'},
    {'id': 'jefferies', 'name': 'Jefferies', 'region': 'overseas', 'kind': 'broker'},
    {'id': 'kaiyuan-securities', 'name': '开源证券 (Kaiyuan Securities)', 'region': 'domestic', 'kind': 'broker'},
    {'id': 'stanford-hai', 'name': 'Stanford HAI (AI Index 2026)', 'region': 'overseas', 'kind': 'academic'},
    {'id': 'artificial-analysis', 'name': 'Artificial Analysis (Intelligence Index)', 'region': 'overseas', 'kind': 'index-publisher'},
    {'id': 'openrouter', 'name': 'OpenRouter', 'region': 'overseas', 'kind': 'platform'},
    {'id': 'hugging-face', 'name': 'Hugging Face (download statistics)', 'region': 'overseas', 'kind': 'platform'},
    {'id': 'bytedance', 'name': '字节跳动 (ByteDance)', 'region': 'domestic', 'kind': 'company'},
    {'id': 'deepseek', 'name': 'DeepSeek (official release)', 'region': 'domestic', 'kind': 'company'},
    {'id': 'market-data', 'name': '纪要引用的市场数据 (market data cited in the minutes)', 'region': 'domestic', 'kind': 'data'},
]
pack['entities'] = [
    {'id': 'deepseek', 'name': 'DeepSeek', 'kind': 'lab'},
    {'id': 'deepseek-v4', 'name': 'DeepSeek V4', 'kind': 'model', 'parent': 'deepseek'},
    {'id': 'deepseek-v4-pro', 'name': 'DeepSeek V4 Pro', 'kind': 'model', 'parent': 'deepseek-v4'},
    {'id': 'deepseek-v4-flash', 'name': 'DeepSeek V4 Flash', 'kind': 'model', 'parent': 'deepseek-v4'},
    {'id': 'google', 'name': 'Google', 'kind': 'lab'},
    {'id': 'openai', 'name': 'OpenAI', 'kind': 'lab'},
    {'id': 'anthropic', 'name': 'Anthropic', 'kind': 'lab'},
    {'id': 'zhipu', 'name': '智谱 (Zhipu, Z.ai)', 'kind': 'lab'},
    {'id': 'minimax', 'name': 'MiniMax', 'kind': 'lab'},
    {'id': 'openrouter', 'name': 'OpenRouter', 'kind': 'platform'},
    {'id': 'bytedance', 'name': '字节跳动 (ByteDance)', 'kind': 'company'},
    {'id': 'doubao', 'name': '豆包 (Doubao)', 'kind': 'app', 'parent': 'bytedance'},
    {'id': 'alibaba', 'name': '阿里巴巴 (Alibaba)', 'kind': 'company'},
    {'id': 'qwen', 'name': '千问 (Qwen)', 'kind': 'app', 'parent': 'alibaba'},
    {'id': 'baidu', 'name': '百度 (Baidu)', 'kind': 'company'},
    {'id': 'wenxin', 'name': '文心助手 (Wenxin assistant)', 'kind': 'app', 'parent': 'baidu'},
    {'id': 'china-ai-market', 'name': '中国 AI 调用市场 (China AI API market)', 'kind': 'market'},
    {'id': 'chinese-open-models', 'name': '中国开源模型 (Chinese open-source models)', 'kind': 'segment'},
    {'id': 'sk-hynix', 'name': 'SK Hynix', 'kind': 'company'},
    {'id': 'nvidia', 'name': 'NVIDIA', 'kind': 'company'},
    {'id': 'ai-compute-index', 'name': 'AI 算力指数 (AI compute index)', 'kind': 'index'},
    {'id': 'ai-application-index', 'name': 'AI 应用指数 (AI application index)', 'kind': 'index'},
]
pack['metrics'] = [
    {'id': 'aa-index', 'name': 'Artificial Analysis Intelligence Index', 'unit': 'points', 'higher_is_better': True, 'framework': 'tech-frontier'},
    {'id': 'context-length', 'name': '上下文长度 (context length)', 'unit': 'tokens', 'higher_is_better': True, 'framework': 'tech-frontier'},
    {'id': 'parameters', 'name': '参数量 (parameters)', 'unit': 'params', 'framework': 'tech-frontier'},
    {'id': 'release', 'name': '发布 (release event; value 1 on the release day)', 'unit': 'event', 'framework': 'tech-frontier'},
    {'id': 'open-source-share', 'name': '全球开源模型市场份额 (share of global open-model market)', 'unit': '%', 'higher_is_better': True, 'framework': 'tech-frontier'},
    {'id': 'weekly-tokens', 'name': '周 token 消耗 (weekly tokens)', 'unit': 'tokens', 'higher_is_better': True, 'framework': 'commercial-realization'},
    {'id': 'daily-tokens', 'name': '日均 token 消耗/调用量 (daily tokens)', 'unit': 'tokens', 'higher_is_better': True, 'framework': 'commercial-realization'},
    {'id': 'daily-tokens-growth', 'name': '日均调用量较 2025 年末增长 (growth of daily tokens since end-2025)', 'unit': '%', 'higher_is_better': True, 'framework': 'commercial-realization'},
    {'id': 'mau', 'name': '月活跃用户 (monthly active users)', 'unit': 'users', 'higher_is_better': True, 'framework': 'commercial-realization'},
    {'id': 'valuation', 'name': '估值 (valuation)', 'unit': 'CNY', 'framework': 'commercial-realization'},
    {'id': 'financing-target-valuation', 'name': '新一轮融资目标估值 (target valuation of the new round)', 'unit': 'USD', 'framework': 'commercial-realization'},
    {'id': 'stock-move', 'name': '股价变动 (share price move after the release)', 'unit': '%', 'framework': 'industry-infrastructure'},
    {'id': 'index-peak', 'name': '指数高点 (index peak level since 2022-10)', 'unit': 'points', 'framework': 'industry-infrastructure'},
]
S = [-2, 2]
pack['questions'] = [
  # the four divergences (01:23)
  {'id': 'open-closed-parity', 'framework': 'tech-frontier', 'scale': S,
   'text': 'V4 是否让开源模型与最强的闭源模型站在了同一起跑线？',
   'poles': ['闭源前沿仍明显领先', 'V4 已全面追平甚至超越闭源前沿']},
  {'id': 'domestic-chip-turning-point', 'framework': 'industry-infrastructure', 'scale': S,
   'text': 'V4 的国产芯片适配，只是推理端的突破，还是训练和推理全流程自主化的转折点？',
   'poles': ['只是推理端的阶段性突破', '全流程自主化的转折点']},
  {'id': 'compute-demand-jevons', 'framework': 'industry-infrastructure', 'scale': S,
   'text': 'DeepSeek 的低价高效会压缩算力需求，还是按杰文斯悖论推高算力需求？',
   'poles': ['效率提升压缩算力与资本开支', '杰文斯悖论：token 与算力需求更大']},
  {'id': 'valuation-anchor', 'framework': 'commercial-realization', 'scale': S,
   'text': 'DeepSeek 的估值与融资应看技术平台的稀缺性，还是回归营收、毛利、人才稳定等基础指标？',
   'poles': ['回归营收、毛利、人才等基础指标，估值难以锚定', '技术平台稀缺性支撑高估值']},
  # the commercial framework's own splits (25:50 - 29:54)
  {'id': 'business-model-proven', 'framework': 'commercial-realization', 'scale': S,
   'text': '开源 + API 收费 + 私有化部署 + 技术支持的商业模式是否已被验证可以大规模盈利？',
   'poles': ['缺少持续数据验证', '路线已经非常清楚']},
  {'id': 'financing-need', 'framework': 'commercial-realization', 'scale': S,
   'text': 'DeepSeek 大规模融资是必要的，还是会带来治理约束？',
   'poles': ['融资带来治理约束，利弊难平衡', '持续投入算力与人才需要大量资金']},
  {'id': 'durable-moat', 'framework': 'commercial-realization', 'scale': S,
   'text': 'DeepSeek 在 coding 与 agent 上是否有稳固的长期壁垒？',
   'poles': ['开源削弱控制权，壁垒在应用生态与迭代', 'coding/agent 护城河 + 行业寡头化，地位稳固']},
  {'id': 'talent-retention', 'framework': 'commercial-realization', 'scale': S,
   'text': 'DeepSeek 能否在核心人才流失后保持战斗力？',
   'poles': ['缺少市场化激励，风险难以化解', '研究氛围与文化可以留住和吸引人才']},
  # consensus points (00:23, 14:40 - 15:59, 18:04, 31:27)
  {'id': 'competition-shift', 'framework': 'tech-frontier', 'scale': S,
   'text': '竞争重心已从模型分数转向长上下文、agent、成本效率与生态适配的综合比拼',
   'poles': ['不同意', '同意']},
  {'id': 'open-closed-gap-narrowing', 'framework': 'tech-frontier', 'scale': S,
   'text': '中国开源模型与美国闭源前沿模型的能力差距在缩小',
   'poles': ['不同意', '同意']},
  {'id': 'v4-open-source-leader', 'framework': 'tech-frontier', 'scale': S,
   'text': 'V4 在推理、代码、世界知识和 agent 上全面提升，已是开源领域的领头羊',
   'poles': ['不同意', '同意']},
  {'id': 'million-context-value', 'framework': 'tech-frontier', 'scale': S,
   'text': '百万 token 上下文成为标配，带来实在的产品价值',
   'poles': ['不同意', '同意']},
  {'id': 'china-ai-relies-on-open-source', 'framework': 'tech-frontier', 'scale': S,
   'text': '中国这一波 AI 发展高度依赖开源，DeepSeek 与 Qwen 是公认的领军项目',
   'poles': ['不同意', '同意']},
  {'id': 'ascend-ecosystem-milestone', 'framework': 'industry-infrastructure', 'scale': S,
   'text': 'V4 与昇腾的适配对国产算力生态有重大象征意义，是自主生态的试金石',
   'poles': ['不同意', '同意']},
  {'id': 'compute-benefits-first', 'framework': 'industry-infrastructure', 'scale': S,
   'text': 'V4 最直接的受益者是算力与基础设施，应用层利润兑现还需要时间',
   'poles': ['不同意', '同意']},
  {'id': 'commercialization-decides', 'framework': 'commercial-realization', 'scale': S,
   'text': '最终谁能兑现价值，要看商业化能力与组织实力',
   'poles': ['不同意', '同意']},
  {'id': 'b2b-revenue-path', 'framework': 'commercial-realization', 'scale': S,
   'text': 'coding agent、企业级 API 与私有化部署是真正能赚钱的核心路线',
   'poles': ['不同意', '同意']},
  {'id': 'consumer-impact-limited', 'framework': 'commercial-realization', 'scale': S,
   'text': 'V4 对 C 端助手类应用排名的影响有限，更大的意义在产业链',
   'poles': ['不同意', '同意']},
]
D, C = 'divergence', 'consensus'
# ---- divergence 1: open-closed parity ----
view('optimistic-institutions', 'open-closed-parity', 2, '他们甚至觉得V四已经全方位的超越了海外的这些主流的大模型，它已经是性能上面有一个断层的领先', [D])
view('cautious-institutions', 'open-closed-parity', -1, '但是他是不是真的能够在所有的场景下面都胜过闭园的前沿，这个还不好说', [D])
view('overseas-institutions', 'open-closed-parity', -1, '但是他们也没有把deep sik当成是统一口径下的最强的那个', [D])
view('stanford-hai', 'open-closed-parity', 1, '他们发现其实到了2026年的三月中美之间的这个前沿的模型的性能的差距已经几乎没有了', [D])
view('domestic-institutions', 'open-closed-parity', 0, '然后还有就是很多机构他们只是说V四是目前的开源SOTA。但是他们并没有说V四是全球最强', [D])
# ---- divergence 2: domestic chips ----
view('domestic-institutions', 'domestic-chip-turning-point', 2, '国内的机构普遍还是比较乐观的，他们就觉得V4在升腾上面的适配是国产算力生态的一个重大的突破', [D])
view('overseas-institutions', 'domestic-chip-turning-point', -1, '但是他们并不认为这是一个马上就可以撼动英伟达在全球的地位', [D])
view('asia-thematic-alpha', 'domestic-chip-turning-point', 0, '但是他们觉得他对于HBM的效率的提升，以及大中华区的半导体板块是有一个实实在在的推动作用的', [D])
# ---- divergence 3: compute demand ----
view('efficiency-bears', 'compute-demand-jevons', -2, '所以他们就觉得这会直接压缩掉HBMGPU先进封装这些环节的长期增长的空间', [D])
view('jevons-camp', 'compute-demand-jevons', 2, '所以最终反而会让整体的算力的需求进一步的拉高', [D])
view('jefferies', 'compute-demand-jevons', -1, '他们就直接就提出了市场现在是有疑虑的，就是大家担心AI的投资和私人信贷的风险会叠加共振', [D])
view('asia-thematic-alpha', 'compute-demand-jevons', 1, '但是他们认同V4会在效率需求和硬件投资这一条链路上产生比较深远的影响', [D])
view('domestic-institutions', 'compute-demand-jevons', 1, '所以他们其实更愿意去押注硬件和基础设施这一块', [D])
# ---- divergence 4: valuation ----
view('optimistic-institutions', 'valuation-anchor', 2, '所以他们就觉得这个估值其实还有很大的上行空间', [D])
view('cautious-institutions', 'valuation-anchor', -2, '所以他们就会觉得这个公司的估值其实是很难去锚定的', [D])
view('domestic-sell-side', 'valuation-anchor', 1, '其实现在已经有国内的卖方在用anchor public和open I的PARR框架来给中国的这些模型公司做参照了', [D])
view('kaiyuan-securities', 'valuation-anchor', 1, 'B端的AI coding和agent其实是一个更有效的变现的方式', [D])
# ---- commercial splits ----
view('optimistic-institutions', 'business-model-proven', 2, '这个路线已经非常清楚了', [D])
view('cautious-institutions', 'business-model-proven', -2, '但是你这个能不能够真的做到大规模的盈利，这个其实还是缺少持续的数据的验证的', [D])
view('optimistic-institutions', 'financing-need', 2, '还有就是建设数据中心以及V4的推理的部署，都是需要大量的资金的', [D])
view('cautious-institutions', 'financing-need', -1, '但是也有一些人他们就担心说大规模的融资可能会带来一些治理上面的约束', [D])
view('optimistic-institutions', 'durable-moat', 2, '所以他们觉得这个公司的地位还是比较稳固的', [D])
view('cautious-institutions', 'durable-moat', -2, '他们就觉得说开源的模式其实是削弱了对模型本身的控制权', [D])
view('optimistic-institutions', 'talent-retention', 1, '所以这些东西都是可以帮助他去留住或者说吸引到优秀的人才', [D])
view('cautious-institutions', 'talent-retention', -1, '如果没有足够的市场化的激励的话，这个公司还是没有办法真正的化解这个风险', [D])
# ---- consensus points ----
view('domestic-institutions', 'competition-shift', 2, '第一个就是大家都认为V四让整个行业的竞争重心从单纯的模型分数变成了长上下文agent成本效率和生态适配这几个方向的一个综合比拼', [C])
view('overseas-institutions', 'competition-shift', 2, '第一个就是大家都认为现在这个模型的比拼，已经不是说谁的参数高谁就赢了', [C])
view('domestic-institutions', 'open-closed-gap-narrowing', 2, '然后第三个就是大家都看到了，中国的这些开源的模型和美国的闭源的前沿的模型在能力上面的差距在缩小', [C])
view('overseas-institutions', 'open-closed-gap-narrowing', 1, '海外的机构他们普遍的态度就是中国的模型，包括deep sik已经是在全球的第一阵营附近', [C])
view('stanford-hai', 'open-closed-gap-narrowing', 2, '他们发现其实到了2026年的三月中美之间的这个前沿的模型的性能的差距已经几乎没有了', [C])
view('domestic-institutions', 'v4-open-source-leader', 2, '就是大家都承认V4在推理代码、世界知识和agent这几个方面的能力都是有一个权限的提升的', [C])
view('overseas-institutions', 'v4-open-source-leader', 2, '已经是属于开源领域的领头羊了', [C])
view('domestic-institutions', 'million-context-value', 2, '尤其是这个百万token的上下文，让很多法律金融代码库的文档分析这些场景变得更简单了', [C])
view('overseas-institutions', 'million-context-value', 2, '所以这个产品的价值也是大家公认的', [C])
view('domestic-institutions', 'china-ai-relies-on-open-source', 2, '然后另外大家也都公认了，中国的这一波AI的发展是非常依赖开源的', [C])
view('overseas-institutions', 'china-ai-relies-on-open-source', 2, '然后deep sick和QN是大家公认的两个领军的项目', [C])
view('domestic-institutions', 'ascend-ecosystem-milestone', 2, '然后第二个就是V4对于国产的算力，尤其是生态的生态是有非常重大的象征意义的', [C])
view('overseas-institutions', 'ascend-ecosystem-milestone', 1, '但是海外的机构他们更多的是把它看作是一个对大中华区的半导体和本土的AI产业的一个利好', [C])
view('domestic-institutions', 'compute-benefits-first', 2, '其实大家普遍都认可的一点就是V4最直接受益的就是算力和基础设施这一块', [C])
view('overseas-institutions', 'compute-benefits-first', 2, '大家都觉得应用层的利润兑现是还需要时间的', [C])
view('domestic-institutions', 'commercialization-decides', 2, '但是大家也都认同说，最终谁能够真正的兑现这个价值，还是要看商业化的能力和组值得实力', [C])
view('overseas-institutions', 'commercialization-decides', 2, '所以这是一个非常明显的从技术的比拼到商业价值的比拼的一个转变', [C])
view('domestic-institutions', 'b2b-revenue-path', 2, '然后在商业化上面的话，大家都认为coding agent还有企业级的API以及私有化部署，是真正能够赚到钱的核心的路线', [C])
view('overseas-institutions', 'b2b-revenue-path', 1, '他们其实都比较看重企业级的AI的应用的实际付费能力', [C])
view('domestic-institutions', 'consumer-impact-limited', 2, '他对C端的这个助手类的应用的排名的影响其实是有限的对，这个其实是海内外都比较公认的一个看法', [C])
view('overseas-institutions', 'consumer-impact-limited', 2, '这个其实是海内外都比较公认的一个看法', [C])

# ---- observations ----
LAB = 'lab-index'
for ent, val, quote in [
    ('google', 57.05, 'google是57.05'), ('openai', 56.83, 'OpenAI是56.83'),
    ('anthropic', 53.00, 'anthropic是53.00'), ('zhipu', 49.64, '然后中国的zip是49.64'),
    ('minimax', 49.62, 'mini max是49.62'), ('deepseek', 41.61, '然后deep sick是41.61')]:
    obs('artificial-analysis', ent, 'aa-index', quote, '2026年3月', [LAB], value=val)
obs('openrouter', 'openrouter', 'weekly-tokens', '对你看这个open router，他的周token的消耗已经到了20.6万亿', '2026-04', ['tokens'], quantity='20.6万亿')
obs('bytedance', 'doubao', 'daily-tokens', '然后字节的豆包三月份的日均token消耗也超过了120万亿', '2026年3月', ['tokens'], quantity='超过了120万亿')
obs('market-data', 'china-ai-market', 'daily-tokens', '然后国内整个三月份的日均调用量也突破了140万亿', '2026年3月', ['tokens'], quantity='突破了140万亿')
obs('market-data', 'china-ai-market', 'daily-tokens-growth', '就是比2025年年末增长了超过40%', '2026年3月', ['tokens'], quantity='增长了超过40%')
obs('market-data', 'sk-hynix', 'stock-move', '就SK hy x当时是跌了15%', '2026-04', ['market'], quantity='跌了15%')
obs('market-data', 'nvidia', 'stock-move', '然后NVI的是跌了19%', '2026-04', ['market'], quantity='跌了19%')
obs('optimistic-institutions', 'deepseek', 'valuation', '他们是直接把它看到了1.05万亿元人民币这样的一个估值', '2026-04', ['valuation'], quantity='1.05万亿元人民币')
obs('market-data', 'deepseek', 'financing-target-valuation', '他们新一轮的融资目标的估值已经从100亿美元提升到了两百多亿美元', '2026-04', ['valuation'], quantity='两百多亿美元')
obs('market-data', 'deepseek', 'financing-target-valuation', '他们新一轮的融资目标的估值已经从100亿美元', '2026-Q1', ['valuation', 'previous'], quantity='100亿美元', note='纪要只说“从100亿美元提升”，未给时间；记为更早的 2026-Q1')
obs('market-data', 'doubao', 'mau', '你看豆包它的月活是2.26亿到3亿3之间', '2026-04', ['users'], quantity='2.26亿到3亿3之间')
obs('market-data', 'qwen', 'mau', '然后阿里的千问是超过了3亿', '2026-04', ['users'], quantity='超过了3亿')
obs('market-data', 'wenxin', 'mau', '然后百度的文心助手是2.02亿', '2026-04', ['users'], quantity='2.02亿')
obs('market-data', 'ai-compute-index', 'index-peak', '就最高的时候AI算力的指数是冲到了将近480的位置', '2026-04', ['market'], quantity='将近480')
obs('market-data', 'ai-application-index', 'index-peak', '然后AI应用的指数是只有320左右', '2026-04', ['market'], quantity='320左右')
obs('hugging-face', 'chinese-open-models', 'open-source-share', '你看2025年的下半年的数据，中国的开源模型的市场占比已经达到了63%', '2025年下半年', ['open-source'], quantity='63%')
obs('stanford-hai', 'chinese-open-models', 'open-source-share', '就是中国的这些开源的项目已经是占据了超过一半的全球的市场份额', '2025', ['open-source'], quantity='超过一半')
obs('deepseek', 'deepseek-v4', 'context-length', '因为它的上下文长度已经提升到了1米，token就是100万token', '2026-04', ['release'], quantity='100万token')
obs('asia-thematic-alpha', 'deepseek-v4', 'context-length', '然后上下文长度是一M', '2026-04', ['release'], quantity='一M')
obs('asia-thematic-alpha', 'deepseek-v4', 'parameters', '他们V四大概是一个1万亿参数的moe的模型', '2026-04', ['release'], quantity='1万亿参数')
obs('deepseek', 'deepseek-v4', 'release', 'deep seek v4它在2026年4月24号这一天发布了预览版', '2026-04-24', ['release'], value=1)

# ---- the codebook: how the minutes name things (draft() reads it) ----
# The machine transcription's spellings are kept as they stand in the text
# (deep sick, jeff re es, open router, help in face...).
ALIASES = {
    'actors': {
        'domestic-institutions': ['国内的机构', '国内机构', '国内的这些机构'],
        'overseas-institutions': ['海外的机构', '海外机构', '外资', '海外的这些机构'],
        'optimistic-institutions': ['乐观的机构', '乐观机构', '比较乐观的机构', '乐观的人',
                                    '非常看好的'],
        'cautious-institutions': ['谨慎的机构', '谨慎机构', '比较谨慎的机构', '比较谨慎的',
                                  '谨慎的人'],
        'domestic-sell-side': ['国内的卖方', '国内卖方'],
        'efficiency-bears': ['担心效率'],
        'jevons-camp': ['杰文斯悖论的机构', '引用了杰文斯悖论', '援引了杰文斯悖论'],
        'asia-thematic-alpha': ['asia thematic alpha'],
        'jefferies': ['jeff re es', '杰富瑞'],
        'kaiyuan-securities': ['开源证券'],
        'stanford-hai': ['stanford HII', 'stanford HAI', '斯坦福'],
        'artificial-analysis': ['Artificial Analysis'],
        'openrouter': ['open router'],
        'hugging-face': ['help in face', 'Hugging Face'],
        'bytedance': ['字节', '字节跳动'],
    },
    'entities': {
        'deepseek': ['deep sick', 'deep sik', 'deep sak', 'deep seek', 'deep sip',
                     'deep shape', 'DeepSeek'],
        'deepseek-v4': ['V4', 'V四', 'deep seek v4', 'deep sip v4', 'deep sick v4',
                        'deep sik v4', 'deep shape v四', 'DeepSeek V4'],
        'google': ['google', '谷歌'],
        'openai': ['OpenAI', 'open I'],
        'anthropic': ['anthropic', 'anchor public'],
        'zhipu': ['zip', '智谱'],
        'minimax': ['mini max', 'MiniMax'],
        'openrouter': ['open router'],
        'doubao': ['豆包'],
        'bytedance': ['字节跳动'],
        'alibaba': ['阿里巴巴'],
        'qwen': ['千问', 'QN'],
        'baidu': ['百度'],
        'wenxin': ['文心助手', '文心一言'],
        'chinese-open-models': ['中国的开源模型', '中国的这些开源的项目', '中国开源模型',
                                '中国的这些开源的模型'],
        'sk-hynix': ['SK hy x', 'SK海力士', '海力士'],
        'nvidia': ['NVI的', '英伟达', 'NVIDIA'],
        'ai-compute-index': ['AI算力的指数', 'AI算力指数', 'AI算力的这个指数'],
        'ai-application-index': ['AI应用的指数', 'AI应用指数'],
    },
    'metrics': {
        'aa-index': ['Intelligence Index', '智能指数'],
        'context-length': ['上下文长度', '上下文'],
        'parameters': ['参数量', '参数'],
        'open-source-share': ['市场份额', '市场占比'],
        'weekly-tokens': ['周token的消耗', '周token消耗'],
        'daily-tokens': ['日均token消耗', '日均调用量', '日均token'],
        'mau': ['月活', '月活跃用户'],
        'valuation': ['估值'],
        'financing-target-valuation': ['融资目标的估值', '融资目标估值'],
        'stock-move': ['股价', '股票'],
        'index-peak': ['最高的时候', '指数高点'],
    },
}
for kind, table in ALIASES.items():
    for record in pack[kind]:
        if record['id'] in table:
            record['aliases'] = table.pop(record['id'])
    assert not table, (kind, table)  # every alias belongs to a record
CUES = {
    'open-closed-parity': {'2': ['全方位的超越', '断层的领先'],
                           '1': ['差距已经几乎没有了'],
                           '0': ['开源SOTA'],
                           '-1': ['还不好说', '不是绝对的第一', '统一口径下的最强']},
    'domestic-chip-turning-point': {'2': ['国产算力生态的一个重大的突破'],
                                    '0': ['实实在在的推动作用'],
                                    '-1': ['撼动英伟达']},
    'compute-demand-jevons': {'2': ['算力的需求进一步的拉高'],
                              '1': ['效率需求和硬件投资', '押注硬件和基础设施'],
                              '-1': ['叠加共振'],
                              '-2': ['压缩掉']},
    'valuation-anchor': {'2': ['上行空间'], '1': ['PARR框架', '更有效的变现'],
                         '-2': ['很难去锚定']},
    'business-model-proven': {'2': ['路线已经非常清楚'], '-2': ['缺少持续的数据的验证']},
    'financing-need': {'2': ['需要大量的资金'], '-1': ['治理上面的约束']},
    'durable-moat': {'2': ['地位还是比较稳固'], '-2': ['削弱了对模型本身的控制权']},
    'talent-retention': {'1': ['吸引到优秀的人才'], '-1': ['没有办法真正的化解这个风险']},
    'competition-shift': {'2': ['竞争重心', '谁的参数高谁就赢']},
    'open-closed-gap-narrowing': {'2': ['差距在缩小', '差距已经几乎没有了'],
                                  '1': ['第一阵营附近']},
    'v4-open-source-leader': {'2': ['开源领域的领头羊', '权限的提升']},
    'million-context-value': {'2': ['百万token的上下文', '产品的价值也是大家公认的']},
    'china-ai-relies-on-open-source': {'2': ['非常依赖开源', '两个领军的项目']},
    'ascend-ecosystem-milestone': {'2': ['重大的象征意义'], '1': ['AI产业的一个利好']},
    'compute-benefits-first': {'2': ['最直接受益的就是算力', '利润兑现是还需要时间']},
    'commercialization-decides': {'2': ['商业化的能力', '到商业价值的比拼']},
    'b2b-revenue-path': {'2': ['真正能够赚到钱的核心的路线'], '1': ['实际付费能力']},
    'consumer-impact-limited': {'2': ['排名的影响其实是有限的', '海内外都比较公认']},
}
for question in pack['questions']:
    if question['id'] in CUES:
        question['cues'] = CUES.pop(question['id'])
assert not CUES, CUES

pack['claims'] = claims
pack['scripts'] = [{'name': 'watchlist', 'lua': open(
    os.path.join(HERE, 'watch.lua'), encoding='utf-8').read()}]
with open(os.path.join(HERE, 'claims.json'), 'w', encoding='utf-8') as out:
    json.dump(pack, out, ensure_ascii=False, indent=2, sort_keys=True)
    out.write('\n')
print(len(claims), 'claims', sum('question' in c for c in claims), 'views')
