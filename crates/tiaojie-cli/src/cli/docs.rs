//! Paperwork: documents of a case, the ledger in and out of Excel, the
//! monthly report.

use super::CaseListArgs;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DocArgs {
    /// 案件（案号或编号）
    pub case: String,
    /// 文书：intake（受理登记表）、notice（权利义务告知书）、session_record（调解记录）、
    /// agreement（人民调解协议书）、oral_agreement（口头协议登记表）、followup_record（回访记录）、
    /// cover（卷宗封面）、contents（卷内目录），或 all（整套卷宗，--out 为文件夹）
    #[arg(long)]
    pub kind: String,
    /// pdf 或 docx
    #[arg(long, default_value = "pdf")]
    pub format: String,
    /// 输出文件（kind 为 all 时为文件夹）
    #[arg(long)]
    pub out: PathBuf,
    /// 显示完整身份证号和电话（默认脱敏）
    #[arg(long)]
    pub full_numbers: bool,
    /// 县（区）自定的模板文件夹，其中的同名模板替换内置模板
    #[arg(long, env = "TIAOJIE_TEMPLATES", value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// PDF 使用的中文字体文件（TTF/OTF/TTC）
    #[arg(long, env = "TIAOJIE_FONT", value_name = "FILE")]
    pub font: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: CaseListArgs,
    /// 输出的 .xlsx 文件
    #[arg(long)]
    pub out: PathBuf,
    /// 导出完整身份证号和电话（默认脱敏）
    #[arg(long)]
    pub full_numbers: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 要导入的 .xlsx 文件
    #[arg(long)]
    pub file: PathBuf,
    /// 指定某一列对应的字段，如 --map 基本案情=facts 或 --map 备注=ignore，可重复
    #[arg(long = "map", value_name = "表头=字段")]
    pub map: Vec<String>,
    /// 只检查和预览，不导入
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 月份，如 2026-03
    #[arg(long)]
    pub month: String,
    /// 单位（默认本单位）
    #[arg(long)]
    pub unit: Option<String>,
    /// 含下级单位，并分单位列出
    #[arg(long)]
    pub subtree: bool,
    /// 输出的 .xlsx 文件
    #[arg(long)]
    pub out: PathBuf,
}
