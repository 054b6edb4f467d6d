package rules

import "regexp/syntax"

// The reply catalogue: every sentence qunbot says to members and staff, in
// one place, so its wording is reviewed and tested as a whole
// (words_test.go renders each one).
//
// House style of the Chinese:
//   - Quantities run solid with the words around them, with no spaces: counts,
//     points, durations, ranks and dates (连续3天, 30天内, 1分钟内3次, 6分,
//     第2名, 11月24日–11月30日).
//   - Identifiers are set off by one space from Chinese text, but not from
//     Chinese punctuation: names, userids, commands, setting keys and order
//     numbers (已将 Bob 设为本群管理员, 是不是想用 /warn？, 订单 #3).
//   - A name is followed by a full-width colon before what it is about
//     (⚠️ @Dave：测试，予以警告。), and brackets never nest.
//   - Members are named by their display name wherever it is known.
//   - A sentence to members says what happens, never which platform API is
//     missing; how staff must act goes to staff only.
//   - Stored reasons hold no countdowns: they are read later.

// Commands and help.
const (
	sayHelpHeader       = "可用命令（在群里@我发送）："
	sayHelpAdminHeader  = "管理员命令："
	sayHelpInHint       = "在与应用的单聊中，用 /in <群ID> <命令> 管理任一群，例如 /in G1 /warn bob 刷屏。"
	sayHelpMutedHeader  = "你正在禁言中，还剩%s；禁言期间只能使用："
	sayHelpLine         = "• %s — %s"
	sayRulesTitle       = "📜 %s 群规\n%s"
	sayUsage            = "用法：%s"
	sayUnknownCommand   = "未知命令，是不是想用 /%s？"
	sayNoSuchCommand    = "未知命令 %s，发送「帮助」查看可用命令。"
	sayInNeedsCommand   = "/in %s 后面要跟一个命令，例如 /in %s 签到；发送「帮助」查看可用命令。"
	sayDirectHint       = "发送「帮助」查看可用命令；在群外管理群请用 /in <群ID> <命令>。"
	sayGroupOnly        = "请在群里@我使用这个命令，或在这里用 /in <群ID> %s"
	sayDenied           = "无权限"
	sayNotMemberOf      = "你不是群 %s 的成员，不能替该群使用「%s」。"
	sayInDirectOnly     = "/in <群ID> <命令> 用在与应用的单聊中；在群里直接@我发送命令即可。"
	sayInUsage          = "用法：/in <群ID> <命令>，例如 /in G1 /warn bob 刷屏"
	sayInTooLong        = "群ID %.20s… 太长，请检查"
	sayInUnknownGroup   = "不认识群 %s：/in 只能用于配置文件中的群，或机器人在其中收到过消息的群。请检查群ID。"
	sayGreeting         = "你好，我是群助手 qunbot。在群里@我发送「帮助」查看你能用的命令，例如「签到」「积分」「排行」。"
	sayHidden           = "（已隐藏）"
	sayNameWho          = "请指明成员：userid 或 @名字"
	sayNameAmbiguous    = "有%d位成员叫「%s」（%s），请改用 userid"
	sayNameUnknown      = "找不到成员「%s」：机器人还没在本群见过这个人，通讯录里也没有。请检查名字或 userid；若对方确在群里，等其在群里@我说句话后再试。"
	sayTooLong          = "%s太长（%d字，上限%d字），未作任何修改。"
	sayTooLongProblem   = "太长（%d字，上限%d字）"
	sayEvidenceCut      = "…（已截断）"
	sayReplyCut         = "\n…（内容过长，已截断）"
	sayAdminIsImmune    = "%s 是管理员，不能对其执行此操作。"
	sayManualReason     = "管理员操作"
	sayMutedRefusal     = "你正在禁言中，还剩%s；禁言期间只能使用「帮助」和「规则」。"
	sayReplyWrongAnswer = "回答不对，再想想：%s"
	sayReplyRightAnswer = "回答正确，欢迎加入%s！"
	sayQuizReason       = "入群问答超时未回答"
)

// Moderation: notices, reasons and the removal card.
const (
	sayWarnNotice      = "⚠️ @%s：%s，%s。累计警告%d/%d"
	sayPastTop         = "（已超过最高一级，按最高一级再次处理）"
	sayOutcomeWarn     = "予以警告"
	sayOutcomeMute     = "禁言%s（至%s）"
	sayOutcomeMuteKept = "已在禁言中，至%s（已有更长的禁言，保持不变）"
	sayOutcomeRemoved  = "已移出群聊"
	sayOutcomeAsked    = "已提请群主和管理员移出"
	sayShadowRecord    = "%s → 将%s（%d/%d）"
	sayActionWarn      = "警告"
	sayActionMute      = "禁言%s"
	sayActionRemove    = "移出"
	sayMuteReason      = "%s；禁言%s"
	sayMuteNotice      = "🔇 @%s：%s，禁言%s（至%s）。"
	sayMuteKept        = "🔇 @%s：%s。已在禁言中，至%s，比%s更长，保持不变。"
	sayMuteUsage       = "用法：%s（时长如 10m、2h、1d，上限%s）"
	sayUnmuteNotice    = "🔈 @%s 已解除禁言。"
	sayUnmuteReason    = "解除禁言"
	sayNotMuted        = "%s 当前没有被禁言。"
	sayKickNotice      = "🚫 @%s：%s，%s。"
	sayKickAsked       = "🚫 %s %s，原因：%s。"
	sayNoWarnings      = "%s 当前没有有效警告。"
	sayUnwarnReason    = "撤销：%s"
	sayUnwarned        = "已撤销 %s 最近一次警告：%s。现有警告%d/%d。"
	sayWarningsTitle   = "%s 的有效警告%d/%d（%s内）"
	sayWarningsLine    = "%d. %s %s"
	sayApproved        = "已豁免 %s：此后其发言不再做违规检测。"
	sayUnapproved      = "已取消 %s 的豁免。"
	sayRemovalTitle    = "移出 %s？"
	sayRemovalDesc     = "%s：%s\n证据：%s"
	sayRemovalButton   = "移出"
	sayIgnoreButton    = "忽略"
	sayCardDenied      = "移出卡片 %s"
	sayDecisionReason  = "%s：%s"
	sayRemovedPost     = "🚫 %s 已被移出群聊。"
	sayDecidedIgnore   = "%s 选择忽略对 %s 的移出请求，原因：%s。"
	sayDecidedRemoved  = "%s 已将 %s 移出群聊，原因：%s。"
	sayDecidedManual   = "已记录：%s 决定移出 %s，原因：%s。请群主或管理员在群聊中手动移出 %s。"
	sayMutedSpeaking   = "禁言期间发言"
	sayBanwordHit      = "违禁词「%s」"
	sayLinkHit         = "发送未允许的链接 %s"
	sayProbationLink   = "观察期内发送链接"
	sayProbationHost   = "观察期内发送链接 %s"
	sayRepeatHit       = "重复发送相同内容（%s内%d次）"
	sayFloodHit        = "刷屏（%s内%d条）"
	sayCardHit         = "发送名片"
	sayMiniProgramHit  = "发送小程序"
)

// Points, check-in, boards and the shop.
const (
	sayCheckinDone     = "签到成功，积分+%d，连续%d天，当前积分%d"
	sayCheckinAgain    = "今天已签到（连续%d天），当前积分%d，明天再来吧"
	sayCheckinReason   = "签到，连续%d天"
	sayMakeupWeekly    = "本周已经补签过了，每周只能补签一次。"
	sayMakeupNotNeeded = "昨天已经签到了，不需要补签。"
	sayMakeupPoor      = "积分不足：补签需要%d积分，你现在有%d积分。"
	sayMakeupReason    = "补签 %s"
	sayMakeupDone      = "补签成功（%s），消耗%d积分，连续%d天，当前积分%d"
	sayPointsOf        = "%s 的积分：%d"
	sayPointsTitle     = "称号：%s"
	sayPointsRank      = "总榜排名：第%d名"
	sayPointsUnranked  = "总榜排名：暂未上榜"
	sayTitleNext       = "%s（累计%d，距「%s」还差%d）"
	sayTitleTop        = "%s（累计%d）"
	sayGrantForm       = "积分数要写成 +N 或 -N（1到%d），例如 /givepoints @张三 +10 活动奖励"
	sayGrantNegative   = "%s 只有%d积分，不能扣到负数。"
	sayGrantReason     = "管理员调整"
	sayGranted         = "已为 %s %+d积分（%s），当前积分%d"
	sayPointsCapped    = "积分已达上限（%d），不再增加。"
	sayLevelUp         = "🎉 恭喜 %s 升级为「%s」！"
	sayMessageReason   = "发言"
	sayInviteReason    = "邀请 %s 入群"
	sayClawbackReason  = "%s 入群不久即退出，收回邀请积分"
	sayBoardTitle      = "%s积分排行"
	sayBoardEmpty      = "\n还没有人上榜，快来签到和发言吧！"
	sayBoardLine       = "%d. %s %d分 · %s"
	sayWeeklyTopTitle  = "🏆 上周积分王（%s）"
	sayWeeklyTopLine   = "%s %s %d分 · %s"
	sayWeeklyTopCheer  = "本周继续签到、发言，冲击积分王吧！"
	sayShopEmpty       = "本群商城还没有上架奖品（管理员可用 /config shop 名称:积分[:库存[:每人限兑]] 设置）。"
	sayShopTitle       = "积分商城（发送「兑换 奖品名」兑换）："
	sayShopLine        = "· %s — %d积分"
	sayShopStock       = "，库存%d件"
	sayShopLimit       = "，每人限兑%d次"
	sayShopSoldOut     = "「%s」已经兑完了。"
	sayShopLimitHit    = "「%s」每人限兑%d次，你已经兑换过%d次。"
	sayShopPoor        = "积分不足：「%s」需要%d积分，你现在有%d积分。"
	sayShopNoItem      = "商城里没有「%s」，发送「商城」查看奖品。"
	sayRedeemReason    = "兑换 %s"
	sayRedeemStaff     = "%s 兑换了「%s」（%d积分），订单 #%d，请安排发放；发放后发送 /orders done %d。"
	sayRedeemed        = "兑换成功：「%s」，订单 #%d，消耗%d积分，剩余积分%d。群主会尽快为你发放，发送「我的订单」查看进度。"
)

// Orders.
const (
	sayOrderNone       = "本群没有订单 #%d。"
	sayOrdersEmpty     = "本群没有%s的订单。"
	sayOrdersTitle     = "本群%s订单（最近%d条）："
	sayOrdersLine      = "#%d %s %s「%s」%d积分 · %s"
	sayOrdersHint      = "发放后：/orders done <订单号>；退款：/orders refund <订单号> [原因]"
	sayOrdersAll       = "全部"
	sayMyOrdersEmpty   = "你还没有兑换过奖品，发送「商城」看看吧。"
	sayMyOrdersTitle   = "你的订单（最近10条）："
	sayMyOrdersLine    = "#%d %s「%s」%d积分 · %s"
	sayOrderNotPending = "订单 #%d 是「%s」，不能再标记为已发放。"
	sayOrderDone       = "订单 #%d（%s 的「%s」）已标记为已发放。"
	sayOrderRefunded   = "订单 #%d 已经退款了。"
	sayRefundReason    = "退款 订单 #%d「%s」"
	sayRefundNote      = "你的订单 #%d「%s」已退款，%d积分已退回。"
	sayRefundWhy       = "原因：%s"
	sayRefundDone      = "订单 #%d 已退款：%s 的%d积分已退回，「%s」库存已恢复，已通知本人。"
	sayTellMember      = "请转告 %s：%s"
)

// Reports, statistics and follow-ups.
const (
	sayStatsTitle        = "📊 近%d天群活跃（%s）"
	sayStatsCounts       = "消息%d条 · 发言%d人（占%s）· 签到%d次"
	sayStatsMoves        = "入群%d人 · 退群%d人 · 退群率%s"
	sayStatsSegments     = "成员%d人：高价值%d · 潜在%d · 沉默%d · 流失%d"
	sayStatsSegmentsLeft = "（流失含本期退群%d人）"
	sayStatsSilentSent   = "近%d天未发言%d人，名单已私信群主和管理员。"
	sayStatsWindow       = "近%d天"
	// sayStatsSeenOnly ends /stats without the message archive, which then
	// counts only what the bot hears; with the archive it counts everything.
	sayStatsSeenOnly    = "（只计机器人收到的消息，即 @机器人 的消息；开通会话存档后计全部消息）"
	sayTopActive        = "最活跃：%s"
	sayTopActiveDays    = "%s（%d天，%d条）"
	sayTopActiveDay     = "%s（%d条）"
	saySilentList       = "🔕 %s未发言的成员（共%d人，入群早的在前，请跟进）：\n%s%s"
	sayAndMore          = "等%d人"
	sayReportCount      = "%s%d%s"
	sayReportCheckins   = "签到%d次"
	sayReportMoves      = "入群%d人 · 退群%d人"
	sayDailyTitle       = "📊 今日群活跃（%s）"
	sayWeeklyTitle      = "📊 上周回顾（%s）"
	sayMonthlyTitle     = "📅 %d月月度回顾（%s）"
	sayPrevDay          = "前日"
	sayPrevWeek         = "上周"
	sayPrevMonth        = "上月"
	sayChangeFlat       = "较%s持平"
	sayChangeRel        = "较%s%+.0f%%"
	sayChangePoints     = "较%s%+.1f个百分点"
	sayBreach           = "%s目标%s"
	sayBelow            = "低于"
	sayAbove            = "高于"
	sayIndicatorLine    = "%s%s"
	sayMessagesPerDay   = "%.2f条"
	sayHealthAlert      = "⚠️ 群健康提醒：%s\n%s"
	sayHealthLine       = "· %s%s，%s"
	sayFollowupSeen     = "%d条，最后发言%s"
	sayFollowupNever    = "从未发言"
	sayFollowupTitle    = "🔕 本周需要跟进的成员：近%d天发言少于%d条，共%d人，入群早的在前（仅私信给群主和管理员）：\n%s%s"
	sayLeaveTitle       = "👋 %s 退出了群聊，建议回访了解原因："
	sayLeaveStayUnknown = "入群时间未知"
	sayLeaveStay        = "在群%s（%s入群）"
	sayLeaveInviter     = "，由 %s 邀请"
	sayLeavePoints      = "积分%d · 最后发言%s"
	sayStayDays         = "%d天"
	sayStayUnderMinute  = "不到1分钟"
)

// Welcome.
const (
	sayWelcomeQuiz  = "\n入群小问题：%s\n请在%s内@我回答。"
	sayWelcomeOff   = "本群欢迎语已关闭。用法：%s"
	sayWelcomeShow  = "本群欢迎语：%s\n用法：%s"
	sayWelcomeDone  = "已设置欢迎语，预览：\n%s"
	sayWelcomeClose = "已关闭本群欢迎语。"
)

// Settings.
const (
	sayConfigSet         = "已将 %s 设为 %s。"
	sayConfigRefused     = "%s 未修改：%v"
	sayConfigUnknown     = "没有 %s 这个设置项，是不是想用 %s？"
	sayConfigUnknownBare = "没有 %s 这个设置项，发送 /config 查看全部设置项。"
	sayConfigTitle       = "%s 的设置："
	sayConfigSecret      = "（已设置）"
	sayConfigEmpty       = "（空）"
)

// Dates as reports and notices write them.
const (
	sayDay      = "%d月%d日"
	sayFullDay  = "%d年%d月%d日"
	sayDayRange = "%s–%s"
	sayClock    = "%d月%d日 %s"
	sayWhenAt   = "%d月%d日（%s）%s"
)

// Group admins, banned words, keyword replies and scheduled posts.
const (
	sayAdminAdded        = "已将 %s 设为本群管理员。"
	sayAdminNotAdded     = "%s 不是本群添加的管理员。"
	sayAdminRemoved      = "已取消 %s 的管理员身份。"
	sayAdminOwner        = "群主：%s"
	sayAdminNone         = "本群管理员：暂无"
	sayAdminList         = "本群管理员：%s"
	sayBanwordExists     = "「%s」已在违禁词中。"
	sayBanwordAdded      = "已添加违禁%s「%s」。"
	sayBanwordMissing    = "「%s」不在违禁词中。"
	sayBanwordDeleted    = "已删除违禁%s「%s」。"
	sayBanwordEmpty      = "本群还没有违禁词。"
	sayBanwordMore       = "等（仅列出前%d个）"
	sayBanwordList       = "本群违禁词（%d个）：%s%s"
	sayBanwordRegex      = "正则"
	sayBanwordWord       = "词"
	sayBanwordTooLong    = "违禁词太长（上限%d字）"
	sayRegexUnusable     = "正则 /%s/ 无法使用：%v"
	sayRegexTooLong      = "太长（%d字节，上限%d）"
	sayRegexTooComplex   = "太复杂（%s）"
	sayRegexSyntax       = "语法错误：%s"
	sayRegexSyntaxBare   = "语法错误"
	sayRegexTooManyInsts = "太复杂（上限%d条指令）"
	sayRegexMatchesEmpty = "会匹配空文本，即所有消息"
	sayReplyNotAdded     = "未添加：%v"
	sayReplyAdded        = "已添加自动回复：%s（%s）"
	sayReplyDelUsage     = "用法：/reply del <关键词>（%v）"
	sayReplyMissing      = "本群没有添加过关键词 %s（配置文件中的默认回复请在配置文件中修改）"
	sayReplyDeleted      = "已删除关键词 %s 的%d条回复。"
	sayMatchExact        = "整句匹配"
	sayMatchContains     = "包含匹配"
	sayMatchRegex        = "正则匹配"
	sayReplyEmpty        = "本群还没有自动回复。用法：%s"
	sayReplyListTitle    = "自动回复（按匹配顺序，先匹配者回复）："
	sayReplyDefault      = "［默认］"
	sayKeywordEmpty      = "关键词为空"
	sayKeywordTooLong    = "关键词太长（上限%d字）"
	sayReplyTextEmpty    = "回复内容为空"
	sayScheduleDelUsage  = "用法：/schedule del <编号>（/schedule list 可查看编号）"
	sayScheduleNone      = "本群没有编号为%d的定时消息。"
	sayScheduleDeleted   = "已删除定时消息 #%d。"
	sayScheduleNever     = "「%s」在五年内都不会到，请检查日期（例如2月没有30日）。"
	sayScheduleFull      = "本群已有%d条定时消息，请先用 /schedule del 删除不用的。"
	sayScheduleAdded     = "已添加定时消息 #%d（%s），下次发送：%s。"
	sayScheduleEmpty     = `本群还没有定时消息。添加：/schedule add "0 20 * * 5" 本周话题：……`
	sayScheduleTitle     = "本群的定时消息（%d条）："
	sayScheduleInvalid   = "（表达式无效）"
	sayScheduleNext      = "下次%s"
	sayCronFiveOnly      = "只支持5段 cron 表达式（分 时 日 月 周），例如 0 20 * * 5"
	sayCronFields        = "cron 表达式要有5段（分 时 日 月 周），这里有%d段"
	sayCronBad           = "cron 表达式无法解析：%v"
)

// Setting problems: what is wrong with a value, read after the key.
const (
	sayWantInt        = "%s应为%d到%d之间的整数"
	sayWantDuration   = "%s应为%s到%s之间的时长"
	sayWantMonthly    = "%s应为「几号 时:分」，例如 1 09:00（每月1日9点，1到31号），或 off（关闭）"
	sayWantShare      = "%s应为0到%g之间的数（份额也可写成60%%），或 off（关闭）"
	sayWantQuiet      = "%s应为「条数/天数」，例如 3/14d"
	sayQuietCount     = "%s中的条数不对：%v"
	sayWantDays       = "%s应为整天数，例如 14d"
	sayDurationEmpty  = "时长为空"
	sayDurationForm   = "时长%s格式不对，应如 30s、10m、2h、3d、1w"
	sayDurationHuge   = "时长%s太大"
	sayDurationUnit   = "时长%s的单位不认识，可用 s、m、h、d、w"
	sayLadderForm     = "「<次数> warn」「<次数> mute <时长>」或「<次数> remove」"
	sayLevelForm      = "%s应写成「<积分> <称号>」"
	sayItemPoints     = "%s的积分：%v"
	sayLevelCount     = "需要1到%d个等级"
	sayWriteAs        = "%s应写成%s"
	sayRungCount      = "%s的次数：%v"
	sayRungMute       = "%s的禁言时长：%v"
	sayRungsMax       = "最多%d级"
	sayRungsTwice     = "有两级的次数都是%d"
	sayShopForm       = "%s应写成「名称:积分[:库存[:每人限兑]]」"
	sayShopNameLong   = "%s的名称超过%d个字"
	sayShopStockForm  = "%s的库存和每人限兑：%v，或 *（不限）"
	sayRateForm       = "%s应写成「<次数>/<时长>」，如 5/10s"
	sayRateCount      = "%s的次数（0表示不检查）：%v"
	sayWantBool       = "%s应为 true 或 false"
	sayWantOneOf      = "%s应为 %s 之一"
	sayWantClock      = "%s应为 HH:MM 这样的时间，或 off（关闭）"
	sayWantWeekly     = "%s应为「Mon 09:00」这样的星期和时间，或 off（关闭）"
	sayUnknownSetting = "未知的设置项"
)

// Commands as 帮助 lists them: how each is written and what it does.
const (
	sayUseSchedule     = `/schedule add "<cron>" <内容>，/schedule list，/schedule del <编号>（cron 为5段：分 时 日 月 周，例如 "0 20 * * 5" 是每周五20:00）`
	sayUseBanword      = "/banword add <词|/正则/>，/banword del <词|/正则/>，/banword list"
	sayUseWarn         = "/warn <成员> [原因]"
	sayAboutWarn       = "警告成员（按阶梯升级）"
	sayUseUnwarn       = "/unwarn <成员>"
	sayAboutUnwarn     = "撤销成员最近一次警告"
	sayUseWarnings     = "/warnings <成员>"
	sayAboutWarnings   = "查看成员的有效警告"
	sayUseMute         = "/mute <成员> <时长> [原因]"
	sayAboutMute       = "禁言成员（机器人执行）"
	sayUseUnmute       = "/unmute <成员>"
	sayAboutUnmute     = "解除禁言"
	sayUseKick         = "/kick <成员> [原因]"
	sayAboutKick       = "移出成员"
	sayUseApprove      = "/approve <成员>"
	sayAboutApprove    = "豁免成员，不受违规检测"
	sayUseUnapprove    = "/unapprove <成员>"
	sayAboutUnapprove  = "取消豁免"
	sayUseTop          = "排行 [day|week|month|all] 或 /top [day|week|month|all]"
	sayUseOrders       = "/orders [pending|all]，/orders done <订单号>，/orders refund <订单号> [原因]"
	sayUseReply        = "/reply add <关键词> => <回复>、/reply add /<正则>/ => <回复>、/reply del <关键词>、/reply list"
	sayUseConfig       = "/config 或 /config <设置项> <值>"
	sayUseGivePoints   = "/givepoints <成员> <+N|-N> [原因]"
	sayUseStats        = "/stats [7d|30d]（最多 90d）"
	sayAboutBanword    = "管理本群违禁词和违禁正则"
	sayUseWelcome      = "/welcome <欢迎语>（可用 {name} {group} {rules}）或 /welcome off"
	sayUseAdmin        = "/admin add|del <成员> 或 /admin list"
	sayUseRedeem       = "兑换 <奖品> 或 /redeem <奖品>"
	sayAboutSchedule   = "定时消息：按 cron 时间在群里发送（{group} 群名，{date} 日期）"
	sayAboutMakeup     = "补签昨天（每周一次，消耗积分），保住连续签到"
	sayAboutTop        = "本群积分排行（默认本周）"
	sayAboutOrders     = "商城订单：查看、标记已发放、退款"
	sayAboutMyorders   = "查看自己的兑换订单"
	sayAboutHelp       = "查看你可以使用的命令"
	sayAboutRules      = "查看本群群规"
	sayAboutReply      = "关键词自动回复（=词 整句匹配，/正则/，其余为包含）"
	sayAboutConfig     = "查看或修改本群设置"
	sayAboutPoints     = "查看自己的积分、称号和排名"
	sayAboutGivepoints = "手动增减成员积分（记入账本）"
	sayAboutStats      = "群活跃统计（未发言成员名单私信群主和管理员）"
	sayAboutWelcome    = "设置或关闭新成员欢迎语"
	sayAboutAdmin      = "添加、移除、查看本群管理员（群主与全局管理员）"
	sayAboutCheckin    = "每日签到，连续签到有额外积分"
	sayAboutShop       = "查看可兑换的奖励"
	sayAboutRedeem     = "用积分兑换奖励"
)

// Words that other sentences are built from.
const (
	sayPeriodDay          = "今日"
	sayPeriodWeek         = "本周"
	sayPeriodMonth        = "本月"
	sayPeriodAll          = "总"
	sayRegexUnparsable    = "无法解析"
	sayFieldReason        = "原因"
	sayFieldReplyText     = "回复内容"
	sayFieldSchedule      = "定时消息"
	sayFieldCron          = "cron 表达式"
	sayFieldWelcome       = "欢迎语"
	sayIndicatorMessages  = "人均日发言"
	sayIndicatorShare     = "参与率"
	sayIndicatorQuit      = "退群率"
	sayOrderPending       = "待发放"
	sayOrderHanded        = "已发放"
	sayOrderRefundedState = "已退款"
	saySegmentHighValue   = "高价值"
	saySegmentPotential   = "潜在"
	saySegmentSilent      = "沉默"
	saySegmentChurned     = "流失"
	sayCountMessages      = "消息"
	sayUnitMessages       = "条"
	sayCountSpeakers      = "发言"
	sayUnitPeople         = "人"
	sayDefaultRules       = "1. 友善交流，尊重他人；2. 禁止广告、刷屏和违规链接；3. 违规将依次警告、禁言、移出群聊。"
	sayDefaultWelcome     = "欢迎 {name} 加入{group}！请先看群规：{rules}"
	sayZeroDuration       = "0秒"
	sayUnitDay            = "天"
	sayUnitHour           = "小时"
	sayUnitMinute         = "分钟"
	sayUnitSecond         = "秒"
	saySunday             = "周日"
	sayMonday             = "周一"
	sayTuesday            = "周二"
	sayWednesday          = "周三"
	sayThursday           = "周四"
	sayFriday             = "周五"
	saySaturday           = "周六"
)

// regexProblems say regexp/syntax's errors in Chinese, the language of
// every other problem an admin reads.
var regexProblems = map[syntax.ErrorCode]string{
	syntax.ErrInvalidCharClass:      "字符类无效",
	syntax.ErrInvalidCharRange:      "字符范围无效",
	syntax.ErrInvalidEscape:         "转义无效",
	syntax.ErrInvalidNamedCapture:   "命名分组无效",
	syntax.ErrInvalidPerlOp:         "不支持的 Perl 语法",
	syntax.ErrInvalidRepeatOp:       "重复符号嵌套无效",
	syntax.ErrInvalidRepeatSize:     "重复次数无效或过大",
	syntax.ErrInvalidUTF8:           "含有无效的 UTF-8",
	syntax.ErrMissingBracket:        "缺少 ]",
	syntax.ErrMissingParen:          "缺少 )",
	syntax.ErrMissingRepeatArgument: "重复符号前没有内容",
	syntax.ErrTrailingBackslash:     "末尾多了 \\",
	syntax.ErrUnexpectedParen:       "多了 )",
	syntax.ErrNestingDepth:          "嵌套太深",
	syntax.ErrLarge:                 "表达式太大",
}
