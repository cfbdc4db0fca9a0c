//! The command line as clap sees it. Values that the ledger knows how to
//! check (dates, labels, money) arrive here as text and are parsed by the
//! commands, so that a wrong value gets the ledger's Chinese message and the
//! same error shape as every other mistake.

mod case;
mod docs;
mod hub;

pub use case::*;
pub use docs::*;
pub use hub::*;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tiaojie",
    version,
    about = "调解台账：村（社区）矛盾纠纷调解的本机台账"
)]
pub struct Cli {
    /// 台账文件（默认：数据目录下的 tiaojie/ledger.sqlite3）
    #[arg(long, global = true, env = "TIAOJIE_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// 以 JSON 输出（供脚本使用）
    #[arg(long, global = true)]
    pub json: bool,

    /// 操作人姓名，记录在每条事件上
    #[arg(long = "as", global = true, env = "TIAOJIE_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,

    /// 本机用户（设有用户时需要；PIN 由环境变量 TIAOJIE_PIN 提供）
    #[arg(long, global = true, env = "TIAOJIE_USER", value_name = "NAME")]
    pub user: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 初始化本机台账，指定本机所属单位
    Init(InitArgs),
    /// 组织机构
    #[command(subcommand)]
    Unit(UnitCommand),
    /// 调解员队伍
    #[command(subcommand)]
    Mediator(MediatorCommand),
    /// 案件：登记、查询和办理
    #[command(subcommand)]
    Case(CaseCommand),
    /// 应回访的案件（默认只看本单位）
    Due(DueArgs),
    /// 今日待办：应回访、待受理的上交、被退回的上交、逾期未反馈的移送
    Today(TodayArgs),
    /// 矛盾纠纷排查
    #[command(subcommand)]
    Screening(ScreeningCommand),
    /// 预警等级方案
    #[command(subcommand)]
    Scheme(SchemeCommand),
    /// 统计
    Stats(StatsArgs),
    /// 生成案件文书（受理登记表、调解协议书等，DOCX 或 PDF）
    Doc(DocArgs),
    /// 导出台账（Excel），可按条件筛选
    Export(ExportArgs),
    /// 导入原有的 Excel 台账（先检查全部行，全部通过才导入）
    Import(ImportArgs),
    /// 月报（Excel）：本单位或含下级单位
    Report(ReportArgs),
    /// 本机用户与权限（第一位用户须为管理员或单位负责人）
    #[command(subcommand)]
    User(UserCommand),
    /// 访问记录：谁在何时查看了完整号码、导出了什么
    AccessLog {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// 清除保管期限届满的已结案件：删除其中的姓名、证件号等个人信息，同步后上级和同步中心也一并清除（仅系统管理员，不可恢复）
    Purge(PurgeArgs),
    /// 检查本机台账：文件完好（加密台账逐页校验）、哈希链完整（每条记录都在、未被改动、顺序未变）
    Verify,
    /// 加密现有的台账文件（口令由环境变量 TIAOJIE_PASSPHRASE 提供）
    Encrypt,
    /// 更改台账口令（原口令 TIAOJIE_PASSPHRASE，新口令 TIAOJIE_NEW_PASSPHRASE）
    Passphrase,
    /// 备份台账到一个新文件（加密台账的备份同样加密，密钥文件在旁）
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// 事件的导出与导入（在两本台账之间传递）
    #[command(subcommand)]
    Events(EventsCommand),
    /// 建立（或打开）一本示例台账并显示台账和今日应回访
    Demo,
    /// 与同步中心同步（不带子命令即同步一次）
    Sync(SyncArgs),
    /// 运行同步中心（上级单位的服务器）
    Server(ServerArgs),
    /// 管理同步中心：单位、注册码、设备
    Admin(AdminArgs),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 添加用户（PIN 由环境变量 TIAOJIE_NEW_PIN 提供）
    Add {
        #[arg(long)]
        name: String,
        /// 调解员、单位负责人、上级督导、系统管理员
        #[arg(long)]
        role: String,
    },
    /// 列出用户
    List,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// 本单位代码（村级为12位统计用区划代码）
    #[arg(long)]
    pub unit_code: String,
    /// 本单位名称
    #[arg(long)]
    pub unit_name: String,
    /// 案号中使用的简称（默认取名称去掉“调解室”等字样）
    #[arg(long)]
    pub short_name: Option<String>,
    /// 层级：1 村（社区）调解室，2 派出所/乡镇调解中心，3 区县调解中心
    #[arg(long)]
    pub level: u8,
    /// 同一单位多台电脑时的编号，用于案号不重复
    #[arg(long, default_value_t = 0)]
    pub lane: u32,
    /// 加密台账文件（口令由环境变量 TIAOJIE_PASSPHRASE 提供）
    #[arg(long)]
    pub encrypt: bool,
}

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// 登记或修改单位
    Add(UnitAddArgs),
    /// 列出单位
    List,
}

#[derive(Debug, Args)]
pub struct UnitAddArgs {
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub short_name: Option<String>,
    #[arg(long)]
    pub level: u8,
    /// 上级单位代码
    #[arg(long)]
    pub parent: Option<String>,
    /// 印章上的正式名称，如“青山村人民调解委员会”；不填则按单位名称生成
    #[arg(long)]
    pub committee: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MediatorCommand {
    /// 登记调解员
    Add(MediatorAddArgs),
    /// 列出调解员
    List {
        /// 只列出该单位及其下属单位的调解员
        #[arg(long)]
        unit: Option<String>,
    },
    /// 停用调解员（其经办的案件不受影响）
    Deactivate {
        /// 调解员编号、编号前缀或姓名
        id: String,
    },
    /// 重新启用调解员
    Activate { id: String },
}

#[derive(Debug, Args)]
pub struct MediatorAddArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub phone: Option<String>,
    /// 所属单位代码（默认本机单位）
    #[arg(long)]
    pub unit: Option<String>,
    /// 身份：驻村干部、辅警、民警、法律顾问、专职律师、法官、检察官、村干部、乡贤、其他
    #[arg(long)]
    pub role: String,
    /// 擅长领域，可重复
    #[arg(long = "specialty")]
    pub specialties: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// 查看哪一天（默认今天）
    #[arg(long)]
    pub on: Option<String>,
    /// 单位代码（默认本机单位）
    #[arg(long)]
    pub unit: Option<String>,
    /// 包括下属单位
    #[arg(long)]
    pub subtree: bool,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    #[arg(long)]
    pub on: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ScreeningCommand {
    /// 上报一轮排查结果（发现 0 件即零上报）
    Report {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// 发现的纠纷件数
        #[arg(long)]
        found: u32,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SchemeCommand {
    /// 显示当前预警等级方案
    Show,
    /// 从 JSON 文件设置方案
    Set {
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long)]
    pub unit: Option<String>,
    #[arg(long, requires = "unit")]
    pub subtree: bool,
    /// 受理日期起
    #[arg(long)]
    pub from: Option<String>,
    /// 受理日期止
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// 把全部事件写入 JSON 文件
    Export {
        #[arg(long)]
        file: PathBuf,
    },
    /// 从 JSON 文件导入事件（已有的跳过）
    Import {
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct PurgeArgs {
    /// 保管期限：结案后满多少年可以清除
    #[arg(long, default_value_t = tiaojie_ledger::store::purge::DEFAULT_RETENTION_YEARS)]
    pub retention_years: u32,
    /// 只列出到期的案件，不清除
    #[arg(long)]
    pub list: bool,
    /// 只清除这些案件（编号或 ID，可重复）；不给则清除全部到期案件
    #[arg(long = "case")]
    pub cases: Vec<String>,
    /// 清除日期（YYYY-MM-DD，默认今天）
    #[arg(long)]
    pub on: Option<String>,
    /// 确认清除：清除后无法恢复
    #[arg(long)]
    pub yes: bool,
}
