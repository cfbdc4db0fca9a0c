//! Flags of the hub and sync commands.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ServerArgs {
    /// 监听地址，如 0.0.0.0:8600
    #[arg(long)]
    pub listen: Option<String>,
    /// 数据库：sqlite:路径 或 postgres://用户@主机/库名
    #[arg(long)]
    pub database: Option<String>,
    /// TOML 配置文件（命令行参数优先）
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AdminArgs {
    /// 同步中心的数据库：sqlite:路径 或 postgres://…
    #[arg(long, env = "TIAOJIE_HUB_DATABASE")]
    pub database: String,
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// 同步中心的组织机构
    #[command(subcommand)]
    Unit(HubUnitCommand),
    /// 为某单位的新设备生成一次性注册码
    EnrollCode(EnrollCodeArgs),
    /// 已注册的设备
    #[command(subcommand)]
    Device(DeviceCommand),
    /// 被隔离（未接收）的事件及原因
    Quarantine,
    /// 检查同步中心保存的各设备哈希链：每条记录都在、未被改动、顺序未变，并指出第一处断开
    Verify,
    /// 加密同步中心的 SQLite 数据库（先停止中心；口令由环境变量 TIAOJIE_HUB_PASSPHRASE 提供，启动中心时同样需要）
    EncryptDb,
}

#[derive(Debug, Subcommand)]
pub enum HubUnitCommand {
    /// 登记或修改单位，并下发到各设备
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        short_name: Option<String>,
        #[arg(long)]
        level: u8,
        #[arg(long)]
        parent: Option<String>,
        /// 印章上的正式名称，如“青山村人民调解委员会”；不填则按单位名称生成
        #[arg(long)]
        committee: Option<String>,
    },
    /// 列出单位
    List,
}

#[derive(Debug, Args)]
pub struct EnrollCodeArgs {
    /// 设备所属单位的代码
    #[arg(long)]
    pub unit: String,
    /// 有效时长（小时）
    #[arg(long, default_value_t = 72)]
    pub hours: u32,
    /// 同步中心地址，写进二维码，设备扫码即可注册
    #[arg(long)]
    pub hub_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// 列出设备
    List,
    /// 停用设备（丢失或更换的电脑）
    Revoke { id: String },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// 用注册码把本机注册到同步中心
    Enroll {
        /// 同步中心地址，如 https://hub.qingshan.gov.cn:8600
        #[arg(long)]
        hub: String,
        #[arg(long)]
        code: String,
        /// 设备名称（默认：单位名称加主机名）
        #[arg(long)]
        label: Option<String>,
        /// 本县（区）自建证书机构的证书（PEM）：只信任它签发的中心证书
        #[arg(long, value_name = "FILE")]
        ca: Option<PathBuf>,
        /// 允许不加密的 http:// 连接（仅在确认是内部网络时使用）
        #[arg(long)]
        allow_http: bool,
    },
    /// 同步一次（不带子命令的 `tiaojie sync` 也是如此）
    Once,
    /// 持续同步：有网络时按间隔同步，失败时退避重试
    Loop {
        /// 两次同步之间的秒数
        #[arg(long, default_value_t = 60)]
        interval: u64,
        /// 同步成功这么多次后退出（测试用；默认不退出）
        #[arg(long)]
        rounds: Option<u32>,
    },
    /// 同步状态：中心地址、待上传的事件、上次同步时间
    Status,
    /// 把尚未上传的记录写成同步包（拷到U盘，带到有网络的电脑上导入）
    ExportBundle {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// 把U盘上的同步包上传到同步中心（任何联网的电脑都可以）
    ImportBundle {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// 同步中心地址（默认用本机注册的中心）
        #[arg(long)]
        hub: Option<String>,
    },
}
