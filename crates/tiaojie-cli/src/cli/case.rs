//! `tiaojie case ...`: intake, the ledger list, one case, and every action
//! on a case. CASE is an id, the first 8 or more characters of one, or the
//! case number as printed.

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// 登记受理一件纠纷（用参数填写，或 --file 读取 JSON 登记表）
    Add(Box<CaseAddArgs>),
    /// 台账列表
    List(CaseListArgs),
    /// 查看一件案件的全部情况（身份证号和电话默认脱敏）
    Show {
        case: String,
        /// 显示完整身份证号和电话（需要权限，记入访问记录）
        #[arg(long)]
        full_numbers: bool,
    },
    /// 评定或调整预警等级
    Grade {
        case: String,
        /// 等级：red/红/红色 ……
        #[arg(long)]
        grade: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 提请上级受理（上交）
    Escalate {
        case: String,
        /// 上级单位代码或名称
        #[arg(long)]
        to: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 受理下级上交的案件
    Accept {
        case: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 退回下级上交的案件
    Return {
        case: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 请求上级支援（案件仍由本单位办理）
    Support {
        case: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        matter: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 答复下级的支援请求
    SupportReply {
        case: String,
        #[arg(long)]
        reply: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 移送（转办）有关部门
    Refer {
        case: String,
        /// 公安、交警、卫生健康、人力社保、自然资源、生态环境、信访、司法所、法院、其他部门
        #[arg(long)]
        department: String,
        /// 接收单位或接收人
        #[arg(long)]
        receiver: String,
        #[arg(long)]
        matter: String,
        /// 反馈期限
        #[arg(long)]
        deadline: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 登记移送事项的办理结果
    ReferralResult {
        case: String,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 登记一次调解
    Session(SessionArgs),
    /// 登记调解协议
    Agree(AgreeArgs),
    /// 登记履行情况
    Perform {
        case: String,
        #[arg(long)]
        note: String,
        /// 已全部履行
        #[arg(long)]
        fulfilled: bool,
        #[arg(long)]
        on: Option<String>,
    },
    /// 登记回访
    Followup(FollowupArgs),
    /// 结案
    Close {
        case: String,
        /// 调解成功、调解不成、当事人撤回、移送处理
        #[arg(long)]
        outcome: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// 添加附件：照片（JPEG、PNG、WebP，自动转正、压缩并去除拍摄信息）或 PDF 扫描件；--file 可以重复，也可以是文件夹
    Attach {
        case: String,
        /// 文件或文件夹（如手机的照片文件夹）
        #[arg(long = "file", required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
        /// 证据材料（默认）、签字的协议书、签字的告知书、身份证明、其他
        #[arg(long, default_value = "evidence")]
        kind: String,
        /// 附件说明，如“围墙越界处照片”
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 列出案件的附件
    Attachments { case: String },
    /// 把一个附件保存为文件（需要导出权限，记入访问记录）
    AttachmentExport {
        /// 附件编号（见 tiaojie case attachments）
        id: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// 移除附件（记录原因；文件在案件清除时才删除）
    Detach {
        /// 附件编号
        id: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Args)]
pub struct CaseAddArgs {
    /// 从 JSON 文件读取登记表
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "dispute_type", "source", "mediation_type", "facts", "requests", "amount", "people",
        "petition_risk", "criminal_risk", "key_persons", "mediator", "received_on", "parties",
    ])]
    pub file: Option<PathBuf>,
    /// 纠纷类型，如 邻里、婚姻家庭、房屋宅基地
    #[arg(long = "type", required_unless_present = "file")]
    pub dispute_type: Option<String>,
    /// 来源，如 当事人申请、主动排查、110转办
    #[arg(long, required_unless_present = "file")]
    pub source: Option<String>,
    /// 调解类型（默认人民调解）
    #[arg(long)]
    pub mediation_type: Option<String>,
    /// 纠纷简要情况
    #[arg(long, required_unless_present = "file")]
    pub facts: Option<String>,
    /// 申请事项
    #[arg(long)]
    pub requests: Option<String>,
    /// 涉及金额（元）
    #[arg(long)]
    pub amount: Option<String>,
    /// 涉及人数（默认为当事人数）
    #[arg(long)]
    pub people: Option<u32>,
    /// 有涉访风险
    #[arg(long)]
    pub petition_risk: bool,
    /// 有民转刑风险
    #[arg(long)]
    pub criminal_risk: bool,
    /// 重点人员
    #[arg(long)]
    pub key_persons: Option<String>,
    /// 承办调解员（姓名或编号）
    #[arg(long)]
    pub mediator: Option<String>,
    /// 受理日期（默认今天）
    #[arg(long)]
    pub received_on: Option<String>,
    /// 当事人，如 "name=张三,id=...,phone=...,side=申请人"；可重复
    #[arg(
        long = "party",
        value_name = "K=V,...",
        required_unless_present = "file"
    )]
    pub parties: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Received,
    Number,
    Grade,
    Status,
}

#[derive(Debug, Args)]
pub struct CaseListArgs {
    /// 预警等级，可重复
    #[arg(long = "grade")]
    pub grades: Vec<String>,
    /// 案件状态，可重复
    #[arg(long = "status")]
    pub statuses: Vec<String>,
    /// 纠纷类型，可重复
    #[arg(long = "type")]
    pub types: Vec<String>,
    /// 承办单位层级
    #[arg(long)]
    pub level: Option<u8>,
    /// 承办单位代码
    #[arg(long)]
    pub unit: Option<String>,
    /// 包括下属单位
    #[arg(long, requires = "unit")]
    pub subtree: bool,
    /// 受理日期起
    #[arg(long)]
    pub from: Option<String>,
    /// 受理日期止
    #[arg(long)]
    pub to: Option<String>,
    /// 在姓名、身份证号、电话、案情、案号中查找
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long, value_enum, default_value = "received")]
    pub sort: SortArg,
    /// 升序（默认降序）
    #[arg(long)]
    pub asc: bool,
    /// 第几页（从1开始）
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 50)]
    pub page_size: u32,
}

#[derive(Debug, Args)]
pub struct SessionArgs {
    pub case: String,
    #[arg(long)]
    pub place: String,
    #[arg(long)]
    pub summary: String,
    /// 达成协议、调解不成、继续调解
    #[arg(long)]
    pub result: String,
    /// 调解员，可重复
    #[arg(long = "mediator")]
    pub mediators: Vec<String>,
    /// 参加人员
    #[arg(long, default_value = "")]
    pub attendees: String,
    #[arg(long)]
    pub on: Option<String>,
}

#[derive(Debug, Args)]
pub struct AgreeArgs {
    pub case: String,
    /// 口头协议（默认书面协议）
    #[arg(long)]
    pub oral: bool,
    /// 协议内容，可重复；末尾可加 @日期 表示履行期限
    #[arg(long = "term", required = true)]
    pub terms: Vec<String>,
    /// 协议金额（元）
    #[arg(long)]
    pub amount: Option<String>,
    #[arg(long)]
    pub on: Option<String>,
}

#[derive(Debug, Args)]
pub struct FollowupArgs {
    pub case: String,
    /// 回访人
    #[arg(long)]
    pub visitor: String,
    /// 回访情况：看到、听到的情况（已有协议的，写协议履行情况）
    #[arg(long, default_value = "")]
    pub performance: String,
    /// 满意、基本满意、不满意
    #[arg(long)]
    pub satisfaction: Option<String>,
    /// 当事人已起诉
    #[arg(long)]
    pub lawsuit: bool,
    /// 新的风险
    #[arg(long, default_value = "")]
    pub new_risk: String,
    /// 采取的措施
    #[arg(long, default_value = "")]
    pub measures: String,
    #[arg(long)]
    pub on: Option<String>,
}
