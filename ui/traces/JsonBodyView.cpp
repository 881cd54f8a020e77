// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/JsonBodyView.h"
#include "core/stream/StreamAssembler.h"
#include "ui/traces/JsonTreeModel.h"
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace Switchyard {

JsonBodyView::JsonBodyView(QWidget *parent)
    : QWidget(parent)
    , m_model(new JsonTreeModel(this))
    , m_caption(new QLabel(this))
    , m_note(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_tree(new QTreeView(this))
    , m_text(new QPlainTextEdit(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 0, 0, 0);
    m_caption->setObjectName(QStringLiteral("bodyCaption"));
    QFont captionFont = m_caption->font();
    captionFont.setBold(true);
    m_caption->setFont(captionFont);
    m_note->setObjectName(QStringLiteral("bodyNote"));
    m_note->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    bar->addWidget(m_caption);
    bar->addWidget(m_note, 1);
    auto addButton = [this, bar](const QString &text, const QString &tip) {
        auto *button = new QToolButton(this);
        button->setText(text);
        button->setToolTip(tip);
        button->setAutoRaise(true);
        bar->addWidget(button);
        return button;
    };
    connect(addButton(tr("Expand all"), tr("Expand every object and array")), &QToolButton::clicked, m_tree, &QTreeView::expandAll);
    connect(addButton(tr("Collapse"), tr("Show only the top level")), &QToolButton::clicked, m_tree, &QTreeView::collapseAll);
    connect(addButton(tr("Copy"), tr("Copy the body as it was logged")), &QToolButton::clicked, this, &JsonBodyView::copyBody);
    m_eventsButton = addButton(tr("Raw events"), tr("Show the stream's events as they came, instead of the reply they make up"));
    m_eventsButton->setObjectName(QStringLiteral("rawEventsButton"));
    m_eventsButton->setCheckable(true);
    m_eventsButton->setVisible(false);
    connect(m_eventsButton, &QToolButton::toggled, this, &JsonBodyView::showRawEvents);
    layout->addLayout(bar);

    m_tree->setObjectName(QStringLiteral("jsonTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::KeyColumn, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::TypeColumn, QHeaderView::ResizeToContents);
    m_tree->header()->resizeSection(JsonTreeModel::KeyColumn, 170);
    connect(m_tree, &QTreeView::expanded, this, &JsonBodyView::fitKeyColumn);
    m_text->setObjectName(QStringLiteral("plainBody"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_text);
    layout->addWidget(m_stack, 1);
}

void JsonBodyView::setCaption(const QString &caption)
{
    m_caption->setText(caption);
    m_caption->setVisible(!caption.isEmpty());
}

void JsonBodyView::showRawEvents(bool raw)
{
    const QSignalBlocker blocker(m_eventsButton);
    m_eventsButton->setChecked(raw);
    const QJsonObject reply = raw ? QJsonObject() : StreamAssembler::assemble(m_body);
    m_assembled = !reply.isEmpty();
    if (m_assembled) {
        m_model->setJson(reply);
        m_tree->expandToDepth(2);
    } else {
        m_model->setBody(m_body);
        m_tree->expandToDepth(0);
    }
    fitKeyColumn();
}

void JsonBodyView::fitKeyColumn()
{
    // Deep keys ("choices[0].delta.tool_calls…") get the room they need, up to half the width.
    const int wanted = static_cast<const QAbstractItemView *>(m_tree)->sizeHintForColumn(JsonTreeModel::KeyColumn) + 12;
    m_tree->header()->resizeSection(JsonTreeModel::KeyColumn, qBound(170, wanted, qMax(170, m_tree->viewport()->width() / 2)));
}

void JsonBodyView::setBody(const QByteArray &body, bool truncated)
{
    m_body = body;
    m_model->setBody(body);
    m_assembled = false;
    m_eventsButton->setVisible(m_model->kind() == JsonTreeModel::Kind::EventStream);
    QString note;
    switch (m_model->kind()) {
    case JsonTreeModel::Kind::Empty:
        m_text->setPlainText(tr("(empty body)"));
        m_stack->setCurrentWidget(m_text);
        break;
    case JsonTreeModel::Kind::Text:
        note = tr("not JSON, shown as text");
        m_text->setPlainText(m_model->plainText());
        m_stack->setCurrentWidget(m_text);
        break;
    case JsonTreeModel::Kind::EventStream:
        note = m_model->rowCount() == 1 ? tr("event stream, 1 event") : tr("event stream, %1 events").arg(m_model->rowCount());
        m_stack->setCurrentWidget(m_tree);
        showRawEvents(m_eventsButton->isChecked());
        if (m_assembled)
            note += tr(", shown as the assembled reply");
        break;
    case JsonTreeModel::Kind::Json:
        m_stack->setCurrentWidget(m_tree);
        m_tree->expandToDepth(m_model->rowCount() > 12 ? 0 : 2);
        fitKeyColumn();
        break;
    }
    note = QLocale().formattedDataSize(body.size(), 1, QLocale::DataSizeTraditionalFormat) + (note.isEmpty() ? QString() : QStringLiteral(", ") + note);
    if (truncated)
        note += tr(", cut at the log's body size limit");
    m_note->setText(body.isEmpty() ? QString() : note);
}

void JsonBodyView::setPlaceholder(const QString &text)
{
    m_body.clear();
    m_model->clear();
    m_note->clear();
    m_text->setPlainText(text);
    m_stack->setCurrentWidget(m_text);
}

bool JsonBodyView::showsPlainText() const
{
    return m_stack->currentWidget() == m_text;
}

QString JsonBodyView::plainText() const
{
    return m_text->toPlainText();
}

void JsonBodyView::copyBody()
{
    QApplication::clipboard()->setText(QString::fromUtf8(m_body));
}

} // namespace Switchyard
